package crisscross.app;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * Drops whole lines a library prints to the console that users cannot act on (SameDiff announces every
 * differentiated op with {@code System.out.println}); everything else passes unchanged, line by line.
 */
final class ConsoleFilter extends OutputStream {
  private final PrintStream target;
  private final Predicate<String> drop;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

  private ConsoleFilter(PrintStream target, Predicate<String> drop) {
    this.target = target;
    this.drop = drop;
  }

  /** Installs the filter on System.out. */
  static void install() {
    System.setOut(new PrintStream(new ConsoleFilter(System.out,
        text -> text.startsWith("Added differentiated op ")), true, StandardCharsets.UTF_8));
  }

  @Override
  public synchronized void write(int b) {
    line.write(b);
    if (b == '\n') {
      emit();
    }
  }

  @Override
  public synchronized void write(byte[] bytes, int offset, int length) {
    for (int i = 0; i < length; i++) {
      write(bytes[offset + i]);
    }
  }

  @Override
  public synchronized void flush() {
    // A partial line (a progress bar ending in \r) is shown at once; complete lines were emitted already.
    if (line.size() > 0 && !drop.test(line.toString(StandardCharsets.UTF_8))) {
      target.write(line.toByteArray(), 0, line.size());
      line.reset();
    }
    target.flush();
  }

  private void emit() {
    String text = line.toString(StandardCharsets.UTF_8);
    if (!drop.test(text)) {
      target.write(line.toByteArray(), 0, line.size());
    }
    line.reset();
  }
}
