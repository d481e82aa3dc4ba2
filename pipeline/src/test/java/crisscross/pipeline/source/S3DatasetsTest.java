package crisscross.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import crisscross.pipeline.storage.S3TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Datasets whose root is an s3:// prefix or manifest object read exactly as their local copies. */
class S3DatasetsTest {
  private static S3TestServer server;

  @TempDir Path local;

  @BeforeAll
  static void startServer() throws Exception {
    server = S3TestServer.start();
    server.createBucket("datasets");
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.close();
  }

  /** Settings reaching the test server; a page size of 2 makes every listing paginate. */
  static String[] s3(S3TestServer server, Path spool, String... more) {
    return Stream.concat(Stream.of(
        "data.s3.endpoint=" + server.endpoint(), "data.s3.path-style=true",
        "data.s3.access-key-id=" + S3TestServer.ACCESS_KEY, "data.s3.secret-access-key=" + S3TestServer.SECRET_KEY,
        "data.s3.list-page-size=2", "data.s3.initial-backoff=20ms", "data.s3.max-backoff=400ms",
        "data.spool-dir=" + spool), Stream.of(more)).toArray(String[]::new);
  }

  static void upload(S3TestServer server, Path tree, String bucket, String prefix) throws IOException {
    try (Stream<Path> files = Files.walk(tree)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String key = prefix + "/" + tree.relativize(file).toString().replace('\\', '/');
        server.putObject(bucket, key, Files.readAllBytes(file));
      }
    }
  }

  @Test
  void esc50InABucketMatchesItsLocalCopy() throws Exception {
    PublishedLayoutsTest.esc50(local.resolve("esc50"));
    upload(server, local.resolve("esc50"), "datasets", "esc/ESC-50-master");
    server.putObject("datasets", "esc/ESC-50-master-other/audio/9-1-A-0.wav", new byte[3]);

    Dataset fromDisk = Datasets.open(Trees.settings(local.resolve("esc50"), "data.fold=4", "data.split=all"));
    Dataset fromBucket = Datasets.open(Trees.settings("s3://datasets/esc/ESC-50-master",
        s3(server, local.resolve("spool"), "data.fold=4", "data.split=all")));

    assertThat(fromBucket.layout()).isEqualTo(Layout.ESC50);
    assertThat(fromBucket.samples()).extracting(SampleRef::id)
        .containsExactlyElementsOf(fromDisk.samples().stream().map(SampleRef::id).toList());
    assertThat(fromBucket.manifestHash()).isEqualTo(fromDisk.manifestHash());
    assertThat(fromBucket.classNames()).isEqualTo(fromDisk.classNames());
    assertThat(fromBucket.sample(0).location()).isEqualTo("s3://datasets/esc/ESC-50-master/audio/1-100032-A-0.wav");
    assertThat(fromBucket.sample(0).isRemote()).isTrue();
    // The CSV was downloaded to the spool folder to be read, then removed.
    try (Stream<Path> left = Files.list(local.resolve("spool"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void directoryTreeInABucketFollowsEveryListingPage() {
    for (int i = 0; i < 9; i++) {
      server.putObject("datasets", "tree/" + (i % 3 == 0 ? "cat" : "dog") + "/clip" + i + ".mp4", new byte[] {1});
    }
    server.putObject("datasets", "tree/dog/", new byte[0]);
    server.putObject("datasets", "tree/.hidden/clip.mp4", new byte[] {1});
    server.faults().resetCounters();

    Dataset dataset = Datasets.open(Trees.settings("s3://datasets/tree/", s3(server, local)));

    assertThat(dataset.size()).isEqualTo(9);
    assertThat(dataset.classNames()).containsExactly("cat", "dog");
    assertThat(dataset.sample(0).id()).isEqualTo("cat/clip0.mp4");
    assertThat(server.faults().lists()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void manifestObjectListsKeysRelativeToItsFolder() {
    server.putObject("datasets", "mani/clips/a.mp4", new byte[] {1});
    server.putObject("datasets", "mani/clips/b.mp4", new byte[] {2});
    server.putObject("datasets", "mani/list.csv",
        "key,label\nclips/a.mp4,x\ns3://datasets/mani/clips/b.mp4,y\nclips/none.mp4,z\n".getBytes());
    server.putObject("datasets", "mani/bad.csv", "path\nclips/a.mp4\n../secret.mp4\n".getBytes());
    server.putObject("datasets", "mani/other-bucket.csv", "path\ns3://elsewhere/x.mp4\n".getBytes());

    Dataset dataset = Datasets.open(Trees.settings("s3://datasets/mani/list.csv", s3(server, local)));

    assertThat(dataset.layout()).isEqualTo(Layout.MANIFEST);
    assertThat(dataset.samples()).extracting(SampleRef::location)
        .containsExactly("s3://datasets/mani/clips/a.mp4", "s3://datasets/mani/clips/b.mp4");
    assertThat(dataset.missing()).isEqualTo(1);
    assertThatThrownBy(() -> Datasets.open(Trees.settings("s3://datasets/mani/bad.csv", s3(server, local))))
        .isInstanceOf(DatasetError.class).hasMessageContaining("s3://datasets/mani/bad.csv, line 3")
        .hasMessageContaining("escapes");
    assertThatThrownBy(() -> Datasets.open(Trees.settings("s3://datasets/mani/other-bucket.csv", s3(server, local))))
        .isInstanceOf(DatasetError.class).hasMessageContaining("line 2").hasMessageContaining("outside");
    assertThatThrownBy(() -> Datasets.open(Trees.settings("s3://datasets/mani/absent.csv", s3(server, local))))
        .isInstanceOf(DatasetError.class).hasMessageContaining("does not exist");
  }

  @Test
  void emptyPrefixIsAClearError() {
    assertThatThrownBy(() -> Datasets.open(Trees.settings("s3://datasets/nothing-here", s3(server, local))))
        .isInstanceOf(DatasetError.class).hasMessageContaining("no media files")
        .hasMessageContaining("s3://datasets/nothing-here");
  }

  @Test
  void listingAndListReadingFailuresAreRetried() {
    PublishedLayoutsTest.esc50(local.resolve("esc50"));
    try {
      upload(server, local.resolve("esc50"), "datasets", "flaky");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    DataSettings settings = Trees.settings("s3://datasets/flaky", s3(server, local.resolve("spool"), "data.fold=0"));
    server.faults().resetCounters();
    Dataset clean = Datasets.open(settings);
    int cleanLists = server.faults().lists();
    int cleanGets = server.faults().gets();

    server.faults().resetCounters();
    server.faults().failNextLists(2, 503);
    server.faults().cutNextBodies(1, 100);
    Dataset dataset = Datasets.open(settings);

    assertThat(dataset.samples()).isEqualTo(clean.samples());
    assertThat(dataset.size()).isEqualTo(5);
    assertThat(server.faults().lists()).isEqualTo(cleanLists + 2);
    assertThat(server.faults().gets()).isEqualTo(cleanGets + 1);
  }
}
