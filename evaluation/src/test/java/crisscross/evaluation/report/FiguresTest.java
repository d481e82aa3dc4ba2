package crisscross.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;

import crisscross.evaluation.linear.CrossValidatedResult;
import crisscross.evaluation.linear.LinearResult;
import crisscross.evaluation.retrieval.RetrievalResult;
import crisscross.pipeline.media.Spectrogram;
import crisscross.pipeline.media.VideoFrames;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FiguresTest {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir Path dir;

  /** Writes the image, checks the file is a PNG of the expected size, and reads it back. */
  private BufferedImage writeAndRead(BufferedImage image, String name, Dimension expected) throws Exception {
    Path file = dir.resolve("figures").resolve(name);
    Figures.writePng(image, file);
    byte[] bytes = Files.readAllBytes(file);
    assertThat(Arrays.copyOf(bytes, 8)).containsExactly(PNG_SIGNATURE);
    BufferedImage read = ImageIO.read(file.toFile());
    assertThat(read).isNotNull();
    assertThat(new Dimension(read.getWidth(), read.getHeight())).isEqualTo(expected);
    try (var files = Files.list(file.getParent())) {
      assertThat(files.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
    }
    return read;
  }

  private static Color pixel(BufferedImage image, int x, int y) {
    return new Color(image.getRGB(x, y));
  }

  @Test
  void confusionMatrixIsAPngWhoseCellsShowTheRowShares() throws Exception {
    LinearResult result = ReportFixtures.linear(0.7, 1e-3, 0.72, 5e-3);
    BufferedImage image = writeAndRead(Figures.confusionMatrix(result.confusion(), result.classNames(),
        "UCF101 video, pretrained"), "confusion.png", Figures.confusionMatrixSize(3));
    assertThat(Figures.confusionMatrixSize(3)).isEqualTo(new Dimension(180 + 3 * 40 + 70 + 12, 36 + 3 * 40 + 180));
    assertThat(Figures.confusionMatrixSize(101).width).isEqualTo(180 + 101 * 9 + 70 + 12);
    // Cell (true 0, predicted 0) holds 8 of 10: darker than cell (0, 2) with 1 of 10, which is darker than white.
    Color strong = pixel(image, 180 + 4, 36 + 4);
    Color weak = pixel(image, 180 + 2 * 40 + 4, 36 + 4);
    assertThat(strong.getRed()).isLessThan(weak.getRed());
    assertThat(weak.getRed()).isLessThan(255);
    assertThat(pixel(image, 180 + 40 + 4, 36 + 2 * 40 + 4).getRed()).as("row 2 predicted 1: 3 of 10")
        .isLessThan(weak.getRed());
  }

  @Test
  void accuracyVersusCostIsAPngOfTheFixedSize() throws Exception {
    LinearResult result = ReportFixtures.linear(0.7, 1e-3, 0.72, 5e-3);
    writeAndRead(Figures.accuracyVsCost(result.sweep(), result.chosenCost(), "UCF101 video: accuracy vs C"),
        "sweep.png", Figures.ACCURACY_VS_COST_SIZE);
  }

  @Test
  void retrievalSheetFramesQueriesBlackAndNeighboursGreenOrRed() throws Exception {
    RetrievalResult retrieval = ReportFixtures.retrieval(0.5, 1, 1);
    List<RetrievalSheetRow> rows = new ArrayList<>();
    rows.add(RetrievalSheetRow.of(retrieval.queries().get(0), 5, retrieval.classNames(), FiguresTest::thumbnail));
    rows.add(RetrievalSheetRow.of(retrieval.queries().get(0), 1, retrieval.classNames(), FiguresTest::thumbnail));
    BufferedImage image = writeAndRead(Figures.retrievalSheet(rows, "video-to-video retrieval"), "sheet.png",
        Figures.retrievalSheetSize(2, 2));
    int tile = Figures.THUMBNAIL + 10;
    int top = 36;
    assertThat(pixel(image, 12 + 1, top + 1)).isEqualTo(Color.BLACK);
    assertThat(pixel(image, 12 + tile + 28 + 1, top + 1)).as("n3 has the query's class").isEqualTo(Figures.CORRECT);
    assertThat(pixel(image, 12 + 2 * tile + 28 + 10 + 1, top + 1)).as("n1 does not").isEqualTo(Figures.WRONG);
    assertThat(pixel(image, 12 + 2 * tile + 28 + 10 + 1, top + tile + 18 + 10 + 1)).as("second row shows one")
        .isEqualTo(Color.WHITE);
  }

  private static BufferedImage thumbnail(String sampleId) {
    float[] rgb = new float[16 * 24 * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (i % 3 == 0) ? 0.9f : (sampleId.hashCode() & 1) == 0 ? 0.2f : 0.6f;
    }
    return Figures.frameImage(new VideoFrames(1, 16, 24, rgb, new double[] {0}), 0);
  }

  @Test
  void writesTheStandardFiguresOfAReport() throws Exception {
    CrossValidatedResult esc = new CrossValidatedResult(List.of(ReportFixtures.linear(0.8, 1e-3, 0.82, 5e-3),
        ReportFixtures.linear(0.7, 1e-3, 0.7, 1e-3)), List.of(), 0.75, 0.05);
    List<Path> written = Figures.writeFor(dir, List.of(
        EvaluationResult.linear("UCF101", Modality.VIDEO, EncoderKind.RANDOM_INIT,
            ReportFixtures.linear(0.5, 1e-3, 0.52, 5e-3)),
        EvaluationResult.groupedCv("ESC-50 fold 1", Modality.AUDIO, EncoderKind.PRETRAINED, esc),
        EvaluationResult.retrieval("UCF101", Modality.VIDEO, EncoderKind.PRETRAINED,
            ReportFixtures.retrieval(0.5, 0.6, 0.7))));
    assertThat(written).extracting(p -> p.getFileName().toString()).containsExactly(
        "ucf101-video-random-init-confusion.png", "ucf101-video-random-init-accuracy-vs-c.png",
        "esc-50-fold-1-audio-pretrained-confusion.png", "esc-50-fold-1-audio-pretrained-fold1-accuracy-vs-c.png",
        "esc-50-fold-1-audio-pretrained-fold2-accuracy-vs-c.png");
    for (Path file : written) {
      assertThat(ImageIO.read(file.toFile())).as(file.toString()).isNotNull();
    }
    BufferedImage summed = ImageIO.read(written.get(2).toFile());
    assertThat(new Dimension(summed.getWidth(), summed.getHeight())).isEqualTo(Figures.confusionMatrixSize(3));
  }

  @Test
  void framesAndSpectrogramsBecomeImages() {
    float[] rgb = {1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f, 0.5f, 0.5f, 0.5f};
    BufferedImage frame = Figures.frameImage(new VideoFrames(1, 2, 2, rgb, new double[] {0}), 0);
    assertThat(pixel(frame, 0, 0)).isEqualTo(Color.RED);
    assertThat(pixel(frame, 1, 0)).isEqualTo(Color.GREEN);
    assertThat(pixel(frame, 0, 1)).isEqualTo(Color.BLUE);
    assertThat(pixel(frame, 1, 1)).isEqualTo(new Color(128, 128, 128));

    BufferedImage spectrogram = Figures.spectrogramImage(new Spectrogram(2, 3, new float[] {5, 5, 5, -1, -1, -1}));
    assertThat(spectrogram.getWidth()).isEqualTo(3);
    assertThat(spectrogram.getHeight()).isEqualTo(2);
    Color low = pixel(spectrogram, 0, 1);
    Color high = pixel(spectrogram, 0, 0);
    assertThat(low.getRed() + low.getGreen()).as("band 0 (loud) is drawn at the bottom, bright")
        .isGreaterThan(high.getRed() + high.getGreen());
  }
}
