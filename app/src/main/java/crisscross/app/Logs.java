package crisscross.app;

import java.io.OutputStream;
import java.io.PrintStream;
import org.slf4j.LoggerFactory;

/** Keeps library chatter (ND4J debug logging, SameDiff's println of differentiated ops) off a command's output. */
final class Logs {
  private Logs() {}

  /** Raises the root log level to WARN when logback is the backend. */
  static void quiet() {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }

  /** Runs {@code body} with System.out discarded, then restores it. */
  static <T> T withoutStdout(java.util.function.Supplier<T> body) {
    PrintStream out = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    try {
      return body.get();
    } finally {
      System.setOut(out);
    }
  }
}
