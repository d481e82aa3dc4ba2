package crisscross.trainer.checkpoint;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checkpoints as directories {@code step-000000000500/} under one local directory. A checkpoint is written into
 * a hidden temporary directory, every file and the directory are fsynced, and it is renamed into place in one
 * atomic step; a crash at any point leaves either the complete checkpoint or none.
 */
public final class LocalCheckpointStore implements CheckpointStore {
  static final String MODEL_FILE = "model.kryo";
  static final String STATE_FILE = "trainer-state.kryo";
  /** The method's own tensors; only written when it has any. */
  static final String METHOD_STATE_FILE = "method-state.kryo";
  static final String CONFIG_FILE = "config.json";
  static final String MANIFEST_FILE = "manifest.json";
  private static final Pattern NAME = Pattern.compile("step-\\d{12}");

  private final Path directory;
  private final int keep;
  private final long failEveryNthWrite;
  private final FileOpener opener;
  private final AtomicLong writes = new AtomicLong();

  /**
   * @param keep how many checkpoints to keep (at least 1)
   * @param failEveryNthWrite fault drill: every Nth write fails half-way ({@code faults.checkpoint-write-failure-every}); 0 = never
   */
  public LocalCheckpointStore(Path directory, int keep, long failEveryNthWrite) {
    this(directory, keep, failEveryNthWrite, file -> new FileOutputStream(file.toFile()));
  }

  /** @param opener opens each file of a checkpoint for writing (tests put a disk that fills up here) */
  LocalCheckpointStore(Path directory, int keep, long failEveryNthWrite, FileOpener opener) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1");
    }
    this.directory = directory;
    this.keep = keep;
    this.failEveryNthWrite = failEveryNthWrite;
    this.opener = opener;
  }

  /** How a checkpoint's files are opened for writing. */
  @FunctionalInterface
  interface FileOpener {
    FileOutputStream open(Path file) throws IOException;
  }

  public static String nameFor(long step) {
    return String.format("step-%012d", step);
  }

  public Path directory() {
    return directory;
  }

  @Override
  public String location() {
    return directory.toString();
  }

  @Override
  public CheckpointManifest write(Checkpoint checkpoint) throws IOException {
    Files.createDirectories(directory);
    removeStaleTemporaries();
    TrainerState state = checkpoint.trainerState();
    String name = nameFor(state.step());
    Path temporary = directory.resolve(".tmp-" + name + "-" + UUID.randomUUID());
    Files.createDirectory(temporary);
    try {
      TreeMap<String, CheckpointManifest.FileEntry> files = new TreeMap<>();
      files.put(MODEL_FILE, writeFile(temporary.resolve(MODEL_FILE),
          out -> CheckpointCodec.writeModel(out, checkpoint.model())));
      if (!checkpoint.model().method().isEmpty()) {
        files.put(METHOD_STATE_FILE, writeFile(temporary.resolve(METHOD_STATE_FILE),
            out -> CheckpointCodec.write(out, checkpoint.model().method())));
      }
      if (failEveryNthWrite > 0 && writes.incrementAndGet() % failEveryNthWrite == 0) {
        throw new IOException("injected checkpoint write failure (faults.checkpoint-write-failure-every="
            + failEveryNthWrite + ")");
      }
      files.put(STATE_FILE, writeFile(temporary.resolve(STATE_FILE), out -> CheckpointCodec.write(out, state)));
      files.put(CONFIG_FILE, writeFile(temporary.resolve(CONFIG_FILE),
          out -> out.write(checkpoint.effectiveConfig().getBytes(StandardCharsets.UTF_8))));
      CheckpointManifest manifest = new CheckpointManifest(CheckpointManifest.FORMAT, name, state.step(),
          state.epoch(), state.positionInEpoch(), checkpoint.method(), checkpoint.objective(), checkpoint.configHash(),
          checkpoint.dataManifestHash(), checkpoint.codeVersion(), Instant.now().toString(),
          ParameterDigest.sha256(checkpoint.model().parameters()), checkpoint.kernels(), files);
      byte[] manifestJson = manifest.toJson();
      writeFile(temporary.resolve(MANIFEST_FILE), out -> out.write(manifestJson));
      fsyncDirectory(temporary);
      Path target = directory.resolve(name);
      if (Files.exists(target)) {
        Path trash = directory.resolve(".trash-" + name + "-" + UUID.randomUUID());
        Files.move(target, trash, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(trash);
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      fsyncDirectory(directory);
      prune();
      return manifest;
    } catch (IOException | RuntimeException e) {
      deleteRecursively(temporary);
      throw e;
    }
  }

  @Override
  public List<String> names() throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.map(p -> p.getFileName().toString()).filter(n -> NAME.matcher(n).matches())
          .sorted(Comparator.reverseOrder()).toList();
    }
  }

  @Override
  public Verification verify(String name) {
    Path dir = directory.resolve(name);
    CheckpointManifest manifest;
    try {
      manifest = CheckpointManifest.parse(Files.readAllBytes(dir.resolve(MANIFEST_FILE)));
    } catch (NoSuchFileException e) {
      return Verification.damaged("no " + MANIFEST_FILE);
    } catch (IOException e) {
      return Verification.damaged("unreadable " + MANIFEST_FILE + ": " + e.getMessage());
    }
    for (Map.Entry<String, CheckpointManifest.FileEntry> entry : manifest.files().entrySet()) {
      Path file = dir.resolve(entry.getKey());
      try {
        long size = Files.size(file);
        if (size != entry.getValue().bytes()) {
          return Verification.damaged(entry.getKey() + " has " + size + " bytes, manifest says "
              + entry.getValue().bytes());
        }
        String sha = sha256(file);
        if (!sha.equals(entry.getValue().sha256())) {
          return Verification.damaged(entry.getKey() + " checksum mismatch");
        }
      } catch (NoSuchFileException e) {
        return Verification.damaged(entry.getKey() + " is missing");
      } catch (IOException e) {
        return Verification.damaged(entry.getKey() + " unreadable: " + e.getMessage());
      }
    }
    return Verification.good();
  }

  @Override
  public CheckpointManifest manifest(String name) throws IOException {
    return CheckpointManifest.parse(Files.readAllBytes(directory.resolve(name).resolve(MANIFEST_FILE)));
  }

  @Override
  public Checkpoint read(String name) throws IOException {
    Verification verification = verify(name);
    if (!verification.ok()) {
      throw new IOException("checkpoint " + directory.resolve(name) + " is damaged: " + verification.problem());
    }
    Path dir = directory.resolve(name);
    CheckpointManifest manifest = manifest(name);
    ArrayList<TensorBlob> methodState = new ArrayList<>();
    if (manifest.files().containsKey(METHOD_STATE_FILE)) {
      try (InputStream in = Files.newInputStream(dir.resolve(METHOD_STATE_FILE))) {
        @SuppressWarnings("unchecked")
        ArrayList<TensorBlob> read = CheckpointCodec.read(in, ArrayList.class);
        methodState = read;
      }
    }
    ModelSnapshot model;
    try (InputStream in = Files.newInputStream(dir.resolve(MODEL_FILE))) {
      model = CheckpointCodec.readModel(in, methodState);
    }
    TrainerState state;
    try (InputStream in = Files.newInputStream(dir.resolve(STATE_FILE))) {
      state = CheckpointCodec.read(in, TrainerState.class);
    }
    String config = Files.readString(dir.resolve(CONFIG_FILE), StandardCharsets.UTF_8);
    return new Checkpoint(manifest.methodName(), manifest.objective(), config, manifest.configHash(), manifest.dataManifestHash(),
        manifest.codeVersion(), manifest.kernels(), state, model);
  }

  @Override
  public void discard(String name) throws IOException {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a checkpoint name: '" + name + "'");
    }
    Path dir = directory.resolve(name);
    if (!Files.exists(dir)) {
      return;
    }
    // Renamed away first, so a crash while deleting leaves a hidden leftover rather than a half checkpoint.
    Path trash = directory.resolve(".trash-" + name + "-" + UUID.randomUUID());
    Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
    deleteRecursively(trash);
  }

  private void prune() throws IOException {
    List<String> all = names();
    for (int i = keep; i < all.size(); i++) {
      deleteRecursively(directory.resolve(all.get(i)));
    }
  }

  private void removeStaleTemporaries() throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path p : entries.filter(p -> p.getFileName().toString().startsWith(".tmp-")
          || p.getFileName().toString().startsWith(".trash-")).toList()) {
        deleteRecursively(p);
      }
    }
  }

  @FunctionalInterface
  private interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private CheckpointManifest.FileEntry writeFile(Path file, Writer writer) throws IOException {
    MessageDigest digest = newDigest();
    try (FileOutputStream fileOut = opener.open(file)) {
      OutputStream out = new DigestOutputStream(new BufferedOutputStream(fileOut, 1 << 16), digest);
      writer.write(new NonClosingOutputStream(out));
      out.flush();
      fileOut.getChannel().force(true);
    }
    return new CheckpointManifest.FileEntry(HexFormat.of().formatHex(digest.digest()), Files.size(file));
  }

  static String sha256(Path file) throws IOException {
    MessageDigest digest = newDigest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      List<Path> paths = new ArrayList<>(walk.toList());
      paths.sort(Comparator.reverseOrder());
      for (Path p : paths) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  /** Kryo closes its stream; the checksum and fsync need it open until the end. */
  private static final class NonClosingOutputStream extends java.io.FilterOutputStream {
    NonClosingOutputStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
