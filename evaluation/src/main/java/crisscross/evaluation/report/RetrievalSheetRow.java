package crisscross.evaluation.report;

import crisscross.evaluation.retrieval.Neighbour;
import crisscross.evaluation.retrieval.Query;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One row of a retrieval sheet (Figures S1/S2): the query's thumbnail and its nearest neighbours' thumbnails,
 * each neighbour marked correct (same class as the query) or wrong.
 */
public record RetrievalSheetRow(Tile query, List<Tile> neighbours) {
  /** A thumbnail (a video frame or a spectrogram image) with its caption. */
  public record Tile(BufferedImage image, String caption, boolean correct) {}

  public RetrievalSheetRow {
    neighbours = List.copyOf(neighbours);
  }

  /**
   * The row of a retrieval query, showing its first {@code count} neighbours.
   *
   * @param thumbnailOf the thumbnail of a sample id (query ids come from the test split, neighbour ids from the
   *     training split)
   */
  public static RetrievalSheetRow of(Query query, int count, List<String> classNames,
      Function<String, BufferedImage> thumbnailOf) {
    List<Tile> tiles = new ArrayList<>();
    for (Neighbour n : query.neighbours().subList(0, Math.min(count, query.neighbours().size()))) {
      tiles.add(new Tile(thumbnailOf.apply(n.sampleId()), classNames.get(n.label()), n.label() == query.label()));
    }
    return new RetrievalSheetRow(new Tile(thumbnailOf.apply(query.sampleId()), classNames.get(query.label()), true),
        tiles);
  }
}
