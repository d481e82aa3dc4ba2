package crisscross.evaluation.linear;

import de.bwaldvogel.liblinear.Linear;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends LIBLINEAR's console chatter (it prints to stdout by default, from every training) to the log. Its dual
 * coordinate descent stops after 300 passes and, for the squared hinge loss, hands over to the primal Newton solver
 * ("Switching to use -s 2"), which converges to the same optimum: that is logged at debug level like everything
 * else. Only a solver that really stopped short (no hand-over, or the Newton solver reaching
 * {@code evaluation.linear.max-iterations}) is logged as a warning.
 */
final class LiblinearLog {
  private static final Logger LOG = LoggerFactory.getLogger("crisscross.evaluation.liblinear");
  private static volatile boolean installed;

  private LiblinearLog() {}

  static void install() {
    if (installed) {
      return;
    }
    synchronized (LiblinearLog.class) {
      if (!installed) {
        Linear.setDebugOutput(new PrintStream(new LineLogger(), true, StandardCharsets.UTF_8));
        installed = true;
      }
    }
  }

  private static final class LineLogger extends OutputStream {
    private static final String DUAL_CAP = "reaching max number of iterations";

    private final ThreadLocal<StringBuilder> line = ThreadLocal.withInitial(StringBuilder::new);
    private final ThreadLocal<String> pendingDualCap = new ThreadLocal<>();

    @Override
    public void write(int b) {
      StringBuilder current = line.get();
      if (b != '\n') {
        current.append((char) b);
        return;
      }
      String text = current.toString().replaceFirst("^[.*]+", "").trim();
      current.setLength(0);
      if (text.isEmpty()) {
        return;
      }
      String pending = pendingDualCap.get();
      pendingDualCap.remove();
      if (pending != null) {
        if (text.startsWith("Switching to use")) {
          LOG.debug("LIBLINEAR: {}; {}", pending, text);
          return;
        }
        LOG.warn("LIBLINEAR stopped before converging: {}", pending);
      }
      if (text.contains(DUAL_CAP)) {
        pendingDualCap.set(text);
      } else if (text.contains("reaching max number of Newton iterations")) {
        LOG.warn("LIBLINEAR stopped before converging ({}): raise evaluation.linear.max-iterations", text);
      } else {
        LOG.debug("LIBLINEAR: {}", text);
      }
    }
  }
}
