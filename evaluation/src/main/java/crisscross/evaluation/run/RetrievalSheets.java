package crisscross.evaluation.run;

import crisscross.evaluation.encoder.Encoder;
import crisscross.evaluation.extract.ClipLoader;
import crisscross.evaluation.extract.ClipSpec;
import crisscross.evaluation.extract.ClipStyle;
import crisscross.evaluation.extract.ExtractionSettings;
import crisscross.evaluation.extract.SampleClips;
import crisscross.evaluation.report.Figures;
import crisscross.evaluation.report.RetrievalSheetRow;
import crisscross.evaluation.retrieval.Query;
import crisscross.evaluation.retrieval.RetrievalResult;
import crisscross.pipeline.inspect.ViewImages;
import crisscross.pipeline.random.SampleRandom;
import crisscross.pipeline.source.SampleRef;
import crisscross.trainer.model.Modality;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Retrieval sheets as Figures S1/S2: randomly chosen test queries, each followed by its five nearest training
 * samples, correct ones in green. A video sample is shown by the middle frame of its centre clip, an audio sample
 * by the spectrogram of its centre clip, both exactly as the encoder receives them (decoded again for the few
 * samples shown, so a sheet needs no cached pixels).
 */
final class RetrievalSheets {
  /** Neighbours per row (Figures S1/S2: top-5). */
  static final int NEIGHBOURS = 5;

  private final Evaluator.Context context;
  private final Map<String, BufferedImage> thumbnails = new HashMap<>();
  private final List<Path> written = new ArrayList<>();

  RetrievalSheets(Evaluator.Context context) {
    this.context = context;
  }

  List<Path> written() {
    return List.copyOf(written);
  }

  /** Draws the sheet of one retrieval result into the figures folder. */
  void draw(DatasetSplits data, String name, Modality modality, Encoder encoder, RetrievalResult result)
      throws IOException {
    int count = Math.min(context.evaluation().retrievalSheetQueries(), result.queries().size());
    if (count == 0) {
      return;
    }
    int[] order = new int[result.queries().size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SampleRandom.of(context.extraction().seed()).fork("retrieval-sheet").fork(name).shuffle(order);
    Map<String, SampleRef> byId = new HashMap<>();
    data.samples().forEach(s -> byId.put(s.id(), s));
    ClipLoader loader = thumbnailLoader(modality);
    List<RetrievalSheetRow> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Query query = result.queries().get(order[i]);
      rows.add(RetrievalSheetRow.of(query, NEIGHBOURS, result.classNames(),
          id -> thumbnails.computeIfAbsent(modality.prefix() + "\u0000" + id,
              key -> thumbnail(loader, byId.get(id), modality))));
    }
    String title = name + " · " + modality.prefix() + "-to-" + modality.prefix() + " retrieval · "
        + encoder.kind().title() + ": R@1 " + String.format(Locale.ROOT, "%.1f", 100 * result.recallAt(
            result.ks().get(0))) + "% (k = " + result.ks().get(0) + ")";
    Path file = context.figures().resolve(slug(name + "-" + modality.prefix() + "-" + encoder.kind().id())
        + "-retrieval.png");
    Figures.writePng(Figures.retrievalSheet(rows, title), file);
    written.add(file);
  }

  private ClipLoader thumbnailLoader(Modality modality) {
    ExtractionSettings x = context.extraction();
    ClipSpec spec = modality == Modality.VIDEO ? x.videoSpec(ClipStyle.TEST).withClips(1)
        : x.audioSpec(ClipStyle.TEST).withClips(1);
    return modality == Modality.VIDEO ? x.videoLoader(context.media(), spec, x.video().cropSize(), false)
        : x.audioLoader(context.media(), spec);
  }

  private BufferedImage thumbnail(ClipLoader loader, SampleRef sample, Modality modality) {
    SampleClips clips = loader.load(sample, SampleRandom.of(0));
    if (clips instanceof SampleClips.Skipped skipped) {
      // The sample was extracted a moment ago, so this is rare: show a grey tile rather than fail the report.
      BufferedImage grey = new BufferedImage(Figures.THUMBNAIL, Figures.THUMBNAIL, BufferedImage.TYPE_INT_RGB);
      java.awt.Graphics2D g = grey.createGraphics();
      g.setColor(java.awt.Color.GRAY);
      g.fillRect(0, 0, grey.getWidth(), grey.getHeight());
      g.dispose();
      return grey;
    }
    float[] input = ((SampleClips.Clips) clips).inputs().get(0);
    long[] shape = loader.inputShape();
    if (modality == Modality.VIDEO) {
      ExtractionSettings x = context.extraction();
      double[] mean = x.videoAugment().normalizeMean().stream().mapToDouble(Double::doubleValue).toArray();
      double[] std = x.videoAugment().normalizeStd().stream().mapToDouble(Double::doubleValue).toArray();
      int frames = (int) shape[1];
      return ViewImages.videoFrame(input, frames, (int) shape[2], frames / 2, mean, std);
    }
    return ViewImages.spectrogram(input, (int) shape[1], (int) shape[2], 1);
  }

  private static String slug(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }
}
