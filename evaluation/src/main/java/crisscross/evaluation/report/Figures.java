package crisscross.evaluation.report;

import crisscross.evaluation.finetune.FinetuneResult;
import crisscross.evaluation.linear.CostScore;
import crisscross.evaluation.linear.CrossValidatedResult;
import crisscross.evaluation.linear.LinearResult;
import crisscross.pipeline.media.Spectrogram;
import crisscross.pipeline.media.VideoFrames;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * PNG figures drawn with Java2D: a confusion matrix with class names, sample-level accuracy against the SVM cost
 * (log axis), and retrieval sheets laid out as Figures S1/S2 (query with a black border, then its nearest
 * neighbours with green borders when of the query's class and red when not). Sizes are fixed functions of the
 * content ({@link #confusionMatrixSize}, {@link #ACCURACY_VS_COST_SIZE}, {@link #retrievalSheetSize}).
 */
public final class Figures {
  /** Size of the accuracy-vs-cost plot. */
  public static final Dimension ACCURACY_VS_COST_SIZE = new Dimension(720, 480);
  /** Side of a retrieval thumbnail, the encoders' input resolution (§4.1: 112). */
  public static final int THUMBNAIL = 112;

  static final Color CORRECT = new Color(0x1a, 0x9e, 0x3a);
  static final Color WRONG = new Color(0xd6, 0x27, 0x28);
  private static final Color CV_COLOR = new Color(0x1f, 0x77, 0xb4);
  private static final Color TEST_COLOR = new Color(0xff, 0x7f, 0x0e);
  private static final Color GRID = new Color(0xe0, 0xe0, 0xe0);
  private static final Color HEAT_HIGH = new Color(8, 48, 107);

  private static final int LABEL_MARGIN = 180;
  private static final int TITLE_HEIGHT = 36;
  private static final int COLOR_BAR = 70;
  private static final int PAD = 12;
  private static final int TILE_BORDER = 5;
  private static final int TILE_GAP = 10;
  private static final int QUERY_SEPARATOR = 28;
  private static final int CAPTION = 18;

  private Figures() {}

  /** Side of one confusion-matrix cell: smaller for more classes, so 101 classes still fit a page. */
  static int cellSize(int classes) {
    return classes <= 10 ? 40 : classes <= 25 ? 24 : classes <= 60 ? 14 : 9;
  }

  /** Size of {@link #confusionMatrix} for a number of classes. */
  public static Dimension confusionMatrixSize(int classes) {
    int grid = classes * cellSize(classes);
    return new Dimension(LABEL_MARGIN + grid + COLOR_BAR + PAD, TITLE_HEIGHT + grid + LABEL_MARGIN);
  }

  /**
   * A confusion matrix: rows are true classes, columns predicted classes, colour is the row-normalised share (per
   * class recall on the diagonal), counts printed where cells are large enough.
   */
  public static BufferedImage confusionMatrix(int[][] counts, List<String> classNames, String title) {
    int n = classNames.size();
    if (counts.length != n) {
      throw new IllegalArgumentException("confusion matrix has " + counts.length + " rows for " + n + " classes");
    }
    int cell = cellSize(n);
    Dimension size = confusionMatrixSize(n);
    BufferedImage image = new BufferedImage(size.width, size.height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(image);
    drawTitle(g, title, size.width, TITLE_HEIGHT);
    int labelFont = Math.max(8, Math.min(12, cell - 2));
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, labelFont));
    FontMetrics metrics = g.getFontMetrics();
    int left = LABEL_MARGIN;
    int top = TITLE_HEIGHT;
    for (int t = 0; t < n; t++) {
      if (counts[t].length != n) {
        throw new IllegalArgumentException("confusion matrix row " + t + " has " + counts[t].length + " columns");
      }
      int total = 0;
      for (int v : counts[t]) {
        total += v;
      }
      for (int p = 0; p < n; p++) {
        double share = total == 0 ? 0 : counts[t][p] / (double) total;
        g.setColor(heat(share));
        g.fillRect(left + p * cell, top + t * cell, cell, cell);
        if (cell >= 24 && counts[t][p] > 0) {
          String text = Integer.toString(counts[t][p]);
          g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
          g.drawString(text, left + p * cell + (cell - metrics.stringWidth(text)) / 2,
              top + t * cell + (cell + metrics.getAscent() - metrics.getDescent()) / 2);
        }
      }
      g.setColor(Color.BLACK);
      String name = fit(classNames.get(t), metrics, LABEL_MARGIN - 2 * PAD);
      g.drawString(name, left - PAD / 2 - metrics.stringWidth(name),
          top + t * cell + (cell + metrics.getAscent() - metrics.getDescent()) / 2);
    }
    g.setColor(Color.GRAY);
    g.drawRect(left, top, n * cell, n * cell);
    AffineTransform straight = g.getTransform();
    for (int p = 0; p < n; p++) {
      String name = fit(classNames.get(p), metrics, LABEL_MARGIN - 2 * PAD);
      g.setTransform(straight);
      g.translate(left + p * cell + (cell + metrics.getAscent() - metrics.getDescent()) / 2, top + n * cell + PAD / 2);
      g.rotate(Math.PI / 2);
      g.setColor(Color.BLACK);
      g.drawString(name, 0, 0);
    }
    g.setTransform(straight);
    g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 12));
    g.drawString("rows: true class, columns: predicted class", PAD, size.height - PAD);
    int barLeft = left + n * cell + PAD * 2;
    int barHeight = n * cell;
    for (int y = 0; y < barHeight; y++) {
      g.setColor(heat(1.0 - y / (double) Math.max(1, barHeight - 1)));
      g.fillRect(barLeft, top + y, 14, 1);
    }
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    g.drawString("100%", barLeft + 17, top + 10);
    g.drawString("0%", barLeft + 17, top + barHeight);
    g.dispose();
    return image;
  }

  /**
   * Sample-level top-1 against the SVM cost on a log axis: cross-validation mean with ±1 std bars (which chooses
   * the cost, marked), and test accuracy where it was computed.
   */
  public static BufferedImage accuracyVsCost(List<CostScore> sweep, double chosenCost, String title) {
    if (sweep.isEmpty()) {
      throw new IllegalArgumentException("no costs to plot");
    }
    Dimension size = ACCURACY_VS_COST_SIZE;
    BufferedImage image = new BufferedImage(size.width, size.height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(image);
    drawTitle(g, title, size.width, 36);
    int left = 70;
    int right = size.width - 30;
    int top = 60;
    int bottom = size.height - 95;

    double minX = Math.log10(sweep.get(0).cost());
    double maxX = Math.log10(sweep.get(sweep.size() - 1).cost());
    minX -= 0.3;
    maxX += 0.3;
    double low = 1;
    double high = 0;
    for (CostScore s : sweep) {
      low = Math.min(low, s.cvAccuracy() - s.cvStd());
      high = Math.max(high, s.cvAccuracy() + s.cvStd());
      if (s.testTop1().isPresent()) {
        low = Math.min(low, s.testTop1().getAsDouble());
        high = Math.max(high, s.testTop1().getAsDouble());
      }
    }
    double minY = Math.max(0, Math.floor(low * 20) / 20);
    double maxY = Math.min(1, Math.ceil(high * 20) / 20);
    if (maxY - minY < 0.1) {
      minY = Math.max(0, maxY - 0.1);
      maxY = Math.max(maxY, minY + 0.1);
    }
    Axis x = new Axis(minX, maxX, left, right);
    Axis y = new Axis(minY, maxY, bottom, top);

    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    FontMetrics metrics = g.getFontMetrics();
    for (int decade = (int) Math.ceil(minX); decade <= Math.floor(maxX); decade++) {
      int px = x.pixel(decade);
      g.setColor(GRID);
      g.drawLine(px, top, px, bottom);
      g.setColor(Color.BLACK);
      String label = "1e" + decade;
      g.drawString(label, px - metrics.stringWidth(label) / 2, bottom + 16);
    }
    double step = maxY - minY > 0.3 ? 0.1 : 0.05;
    for (double v = Math.ceil(minY / step - 1e-9) * step; v <= maxY + 1e-9; v += step) {
      int py = y.pixel(v);
      g.setColor(GRID);
      g.drawLine(left, py, right, py);
      g.setColor(Color.BLACK);
      String label = String.format(Locale.ROOT, "%.0f%%", v * 100);
      g.drawString(label, left - 6 - metrics.stringWidth(label), py + 4);
    }
    g.setColor(Color.BLACK);
    g.drawRect(left, top, right - left, bottom - top);
    g.drawString("SVM cost C (log scale)", (left + right) / 2 - 60, bottom + 34);
    AffineTransform straight = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString("sample-level top-1", -(top + bottom) / 2 - 50, 18);
    g.setTransform(straight);

    int chosenX = x.pixel(Math.log10(chosenCost));
    g.setColor(Color.GRAY);
    g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
    g.drawLine(chosenX, top, chosenX, bottom);
    String chosenLabel = "chosen by CV: C = " + BigDecimal.valueOf(chosenCost).stripTrailingZeros().toPlainString();
    int labelWidth = metrics.stringWidth(chosenLabel);
    g.drawString(chosenLabel, Math.max(left, Math.min(right - labelWidth, chosenX - labelWidth / 2)), top - 8);

    g.setStroke(new BasicStroke(2f));
    g.setColor(CV_COLOR);
    Path2D cvLine = new Path2D.Double();
    for (int i = 0; i < sweep.size(); i++) {
      CostScore s = sweep.get(i);
      int px = x.pixel(Math.log10(s.cost()));
      int py = y.pixel(s.cvAccuracy());
      if (i == 0) {
        cvLine.moveTo(px, py);
      } else {
        cvLine.lineTo(px, py);
      }
      g.drawLine(px, y.pixel(s.cvAccuracy() - s.cvStd()), px, y.pixel(s.cvAccuracy() + s.cvStd()));
      g.drawLine(px - 4, y.pixel(s.cvAccuracy() - s.cvStd()), px + 4, y.pixel(s.cvAccuracy() - s.cvStd()));
      g.drawLine(px - 4, y.pixel(s.cvAccuracy() + s.cvStd()), px + 4, y.pixel(s.cvAccuracy() + s.cvStd()));
      g.fillOval(px - 4, py - 4, 8, 8);
    }
    g.draw(cvLine);

    g.setColor(TEST_COLOR);
    g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 4}, 0));
    Path2D testLine = new Path2D.Double();
    boolean started = false;
    boolean anyTest = false;
    for (CostScore s : sweep) {
      if (s.testTop1().isEmpty()) {
        continue;
      }
      anyTest = true;
      int px = x.pixel(Math.log10(s.cost()));
      int py = y.pixel(s.testTop1().getAsDouble());
      if (!started) {
        testLine.moveTo(px, py);
        started = true;
      } else {
        testLine.lineTo(px, py);
      }
      g.fillRect(px - 4, py - 4, 8, 8);
    }
    g.draw(testLine);

    g.setStroke(new BasicStroke(2f));
    int legendY = bottom + 64;
    g.setColor(CV_COLOR);
    g.drawLine(left, legendY, left + 26, legendY);
    g.fillOval(left + 9, legendY - 4, 8, 8);
    g.setColor(Color.BLACK);
    g.drawString("cross-validation on the training split (mean ± std)", left + 32, legendY + 4);
    if (anyTest) {
      int testLeft = left + 340;
      g.setColor(TEST_COLOR);
      g.drawLine(testLeft, legendY, testLeft + 26, legendY);
      g.fillRect(testLeft + 9, legendY - 4, 8, 8);
      g.setColor(Color.BLACK);
      g.drawString("test split (not used to choose C)", testLeft + 32, legendY + 4);
    }
    g.dispose();
    return image;
  }

  /** Size of {@link #retrievalSheet} for a number of rows and neighbours per row. */
  public static Dimension retrievalSheetSize(int rows, int neighbours) {
    int tile = THUMBNAIL + 2 * TILE_BORDER;
    int width = 2 * PAD + tile + QUERY_SEPARATOR + neighbours * tile + Math.max(0, neighbours - 1) * TILE_GAP;
    int height = TITLE_HEIGHT + rows * (tile + CAPTION) + Math.max(0, rows - 1) * TILE_GAP + PAD;
    return new Dimension(width, height);
  }

  /**
   * A retrieval sheet as Figures S1/S2: one row per query, its thumbnail in a black border, then its neighbours in
   * green (same class) or red (other class) borders, class names beneath.
   */
  public static BufferedImage retrievalSheet(List<RetrievalSheetRow> rows, String title) {
    int neighbours = rows.stream().mapToInt(r -> r.neighbours().size()).max().orElse(0);
    Dimension size = retrievalSheetSize(rows.size(), neighbours);
    BufferedImage image = new BufferedImage(size.width, size.height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = canvas(image);
    drawTitle(g, title, size.width, TITLE_HEIGHT);
    int tile = THUMBNAIL + 2 * TILE_BORDER;
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (int r = 0; r < rows.size(); r++) {
      int top = TITLE_HEIGHT + r * (tile + CAPTION + TILE_GAP);
      RetrievalSheetRow row = rows.get(r);
      drawTile(g, row.query(), PAD, top, Color.BLACK);
      for (int k = 0; k < row.neighbours().size(); k++) {
        RetrievalSheetRow.Tile t = row.neighbours().get(k);
        drawTile(g, t, PAD + tile + QUERY_SEPARATOR + k * (tile + TILE_GAP), top, t.correct() ? CORRECT : WRONG);
      }
    }
    g.dispose();
    return image;
  }

  /** One video frame as an image (values in [0, 1] to 8-bit RGB). */
  public static BufferedImage frameImage(VideoFrames frames, int frame) {
    if (frame < 0 || frame >= frames.frames()) {
      throw new IndexOutOfBoundsException("frame " + frame + " of " + frames.frames());
    }
    BufferedImage image = new BufferedImage(frames.width(), frames.height(), BufferedImage.TYPE_INT_RGB);
    float[] rgb = frames.rgb();
    for (int row = 0; row < frames.height(); row++) {
      for (int col = 0; col < frames.width(); col++) {
        int i = frames.index(frame, row, col, 0);
        image.setRGB(col, row, (byte8(rgb[i]) << 16) | (byte8(rgb[i + 1]) << 8) | byte8(rgb[i + 2]));
      }
    }
    return image;
  }

  /** A spectrogram as an image: time to the right, low frequencies at the bottom, min-max scaled colours. */
  public static BufferedImage spectrogramImage(Spectrogram spectrogram) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : spectrogram.values()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    float range = max > min ? max - min : 1f;
    BufferedImage image = new BufferedImage(spectrogram.frames(), spectrogram.bands(), BufferedImage.TYPE_INT_RGB);
    for (int band = 0; band < spectrogram.bands(); band++) {
      for (int frame = 0; frame < spectrogram.frames(); frame++) {
        double level = (spectrogram.get(band, frame) - min) / range;
        image.setRGB(frame, spectrogram.bands() - 1 - band, inferno(level).getRGB());
      }
    }
    return image;
  }

  /**
   * The standard figures of a report, into {@code directory}: for each linear result
   * {@code <dataset>-<modality>-<encoder>-confusion.png} and {@code ...-accuracy-vs-c.png}; for a grouped
   * cross-validation (or the official splits) the confusion matrix summed over its folds and one accuracy-vs-cost
   * plot per fold ({@code ...-fold<n>-accuracy-vs-c.png}); for finetuning {@code ...-finetune-confusion.png}
   * summed over its splits. Retrieval sheets need thumbnails of the samples, so callers draw them with
   * {@link #retrievalSheet}.
   *
   * @return the files written, in order
   */
  public static List<Path> writeFor(Path directory, List<EvaluationResult> results) throws IOException {
    List<Path> written = new ArrayList<>();
    for (EvaluationResult result : results) {
      String name = slug(result.dataset() + "-" + result.modality().id() + "-" + result.encoder().id());
      String title = result.dataset() + " · " + result.modality().id() + " · " + result.encoder().title();
      if (result.linear().isPresent()) {
        LinearResult linear = result.linear().get();
        written.add(write(confusionMatrix(linear.confusion(), linear.classNames(), title + ": top-1 "
            + ReportWriter.percent(linear.top1()) + "%"), directory.resolve(name + "-confusion.png")));
        written.add(write(accuracyVsCost(linear.sweep(), linear.chosenCost(), title + ": accuracy vs C"),
            directory.resolve(name + "-accuracy-vs-c.png")));
      }
      if (result.finetune().isPresent()) {
        List<FinetuneResult.FinetuneSplit> splits = result.finetune().get().splits();
        List<String> classes = splits.get(0).classNames();
        int[][] total = new int[classes.size()][classes.size()];
        for (FinetuneResult.FinetuneSplit split : splits) {
          add(total, split.confusion());
        }
        written.add(write(confusionMatrix(total, classes, title + ": finetuned, top-1 "
            + ReportWriter.percent(result.finetune().get().meanTop1()) + "%"),
            directory.resolve(name + "-finetune-confusion.png")));
      }
      if (result.crossValidated().isPresent()) {
        CrossValidatedResult cv = result.crossValidated().get();
        List<String> classes = cv.folds().get(0).classNames();
        int[][] total = new int[classes.size()][classes.size()];
        for (LinearResult fold : cv.folds()) {
          add(total, fold.confusion());
        }
        written.add(write(confusionMatrix(total, classes, title + ": all folds, top-1 "
            + ReportWriter.percent(cv.meanTop1()) + "%"), directory.resolve(name + "-confusion.png")));
        for (int f = 0; f < cv.folds().size(); f++) {
          LinearResult fold = cv.folds().get(f);
          written.add(write(accuracyVsCost(fold.sweep(), fold.chosenCost(), title + ", fold " + (f + 1)
              + ": accuracy vs C"), directory.resolve(name + "-fold" + (f + 1) + "-accuracy-vs-c.png")));
        }
      }
    }
    return written;
  }

  private static void add(int[][] total, int[][] counts) {
    for (int t = 0; t < total.length; t++) {
      for (int p = 0; p < total.length; p++) {
        total[t][p] += counts[t][p];
      }
    }
  }

  private static Path write(BufferedImage image, Path file) throws IOException {
    writePng(image, file);
    return file;
  }

  /** A file-name-safe, lower-case form of a label: "ESC-50 fold 1" to "esc-50-fold-1". */
  static String slug(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }

  /** Writes a PNG atomically (temporary file, then rename), creating the parent folder. */
  public static void writePng(BufferedImage image, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
    try {
      if (!ImageIO.write(image, "png", temp.toFile())) {
        throw new IOException("no PNG writer available for " + file);
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void drawTile(Graphics2D g, RetrievalSheetRow.Tile tile, int left, int top, Color border) {
    int side = THUMBNAIL + 2 * TILE_BORDER;
    g.setColor(border);
    g.fillRect(left, top, side, side);
    g.setColor(Color.DARK_GRAY);
    g.fillRect(left + TILE_BORDER, top + TILE_BORDER, THUMBNAIL, THUMBNAIL);
    BufferedImage image = tile.image();
    double scale = Math.min(THUMBNAIL / (double) image.getWidth(), THUMBNAIL / (double) image.getHeight());
    int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
    g.drawImage(image, left + TILE_BORDER + (THUMBNAIL - w) / 2, top + TILE_BORDER + (THUMBNAIL - h) / 2, w, h, null);
    g.setColor(Color.BLACK);
    FontMetrics metrics = g.getFontMetrics();
    String caption = fit(tile.caption(), metrics, side);
    g.drawString(caption, left + (side - metrics.stringWidth(caption)) / 2, top + side + CAPTION - 5);
  }

  private static Graphics2D canvas(BufferedImage image) {
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, image.getWidth(), image.getHeight());
    return g;
  }

  private static void drawTitle(Graphics2D g, String title, int width, int height) {
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
    FontMetrics metrics = g.getFontMetrics();
    String text = fit(title, metrics, width - 2 * PAD);
    g.drawString(text, (width - metrics.stringWidth(text)) / 2, (height + metrics.getAscent()) / 2 - 2);
  }

  /** The text, cut and ended with an ellipsis when wider than {@code width} pixels. */
  private static String fit(String text, FontMetrics metrics, int width) {
    if (metrics.stringWidth(text) <= width) {
      return text;
    }
    String cut = text;
    while (!cut.isEmpty() && metrics.stringWidth(cut + "…") > width) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + "…";
  }

  private static Color heat(double share) {
    double s = Math.max(0, Math.min(1, share));
    return new Color((int) Math.round(255 + (HEAT_HIGH.getRed() - 255) * s),
        (int) Math.round(255 + (HEAT_HIGH.getGreen() - 255) * s),
        (int) Math.round(255 + (HEAT_HIGH.getBlue() - 255) * s));
  }

  /** A few stops of matplotlib's "inferno", linearly interpolated. */
  private static Color inferno(double level) {
    int[][] stops = {{0, 0, 4}, {87, 16, 110}, {188, 55, 84}, {249, 142, 9}, {252, 255, 164}};
    double position = Math.max(0, Math.min(1, level)) * (stops.length - 1);
    int i = Math.min(stops.length - 2, (int) position);
    double t = position - i;
    return new Color((int) Math.round(stops[i][0] + (stops[i + 1][0] - stops[i][0]) * t),
        (int) Math.round(stops[i][1] + (stops[i + 1][1] - stops[i][1]) * t),
        (int) Math.round(stops[i][2] + (stops[i + 1][2] - stops[i][2]) * t));
  }

  private static int byte8(float v) {
    return Math.max(0, Math.min(255, Math.round(v * 255f)));
  }

  /** Maps data values to pixels linearly. */
  private record Axis(double min, double max, int fromPixel, int toPixel) {
    int pixel(double value) {
      return (int) Math.round(fromPixel + (value - min) / (max - min) * (toPixel - fromPixel));
    }
  }
}
