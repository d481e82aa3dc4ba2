package crisscross.pipeline.decode;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_CL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT2020_NCL;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT470BG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_FCC;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE240M;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_free;
import static org.bytedeco.ffmpeg.global.avutil.av_malloc;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.SWS_CS_DEFAULT;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCoefficients;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.global.swscale.sws_setColorspaceDetails;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Converts a decoded picture in its native pixel format to RGB floats in [0, 1] at the output size, in one swscale
 * pass (colour conversion and bilinear resize together, honouring the picture's colour matrix and range). Not
 * thread-safe: one per decode.
 */
final class RgbConverter implements AutoCloseable {
  private static final int ROW_ALIGNMENT = 64;
  private static final float[] UNIT = new float[256];

  static {
    for (int i = 0; i < UNIT.length; i++) {
      UNIT[i] = i / 255f;
    }
  }

  private final FrameSize size;
  private final int stride;
  private final BytePointer buffer;
  private final PointerPointer<?> planes;
  private final IntPointer strides;
  private final byte[] bytes;
  private SwsContext context;
  private int sourceWidth;
  private int sourceHeight;
  private int sourceFormat = -1;
  private int sourceRange = -1;
  private int sourceMatrix = -1;

  RgbConverter(FrameSize size) {
    this.size = size;
    this.stride = (size.width() * 3 + ROW_ALIGNMENT - 1) / ROW_ALIGNMENT * ROW_ALIGNMENT;
    long bytesNeeded = (long) stride * size.height() + ROW_ALIGNMENT;
    BytePointer allocated = new BytePointer(av_malloc(bytesNeeded));
    if (allocated.isNull()) {
      throw new OutOfMemoryError("av_malloc(" + bytesNeeded + ") failed for an RGB frame");
    }
    this.buffer = allocated.capacity(bytesNeeded);
    this.planes = new PointerPointer<BytePointer>(1).put(0, buffer);
    this.strides = new IntPointer(1).put(0, stride);
    this.bytes = new byte[stride * size.height()];
  }

  FrameSize size() {
    return size;
  }

  /** Writes {@code picture} as height x width x 3 floats at {@code rgb[offset]}. */
  void convert(AVFrame picture, float[] rgb, int offset) {
    prepare(picture);
    sws_scale(context, picture.data(), picture.linesize(), 0, picture.height(), planes, strides);
    buffer.position(0).get(bytes);
    int width = size.width();
    int out = offset;
    for (int row = 0; row < size.height(); row++) {
      int in = row * stride;
      for (int i = 0, n = width * 3; i < n; i++) {
        rgb[out++] = UNIT[bytes[in + i] & 0xFF];
      }
    }
  }

  private void prepare(AVFrame picture) {
    int range = picture.color_range() == AVCOL_RANGE_JPEG ? 1 : 0;
    int matrix = colourMatrix(picture.colorspace());
    if (context != null && picture.width() == sourceWidth && picture.height() == sourceHeight
        && picture.format() == sourceFormat && range == sourceRange && matrix == sourceMatrix) {
      return;
    }
    context = sws_getCachedContext(context, picture.width(), picture.height(), picture.format(),
        size.width(), size.height(), AV_PIX_FMT_RGB24, SWS_BILINEAR, null, null, (DoublePointer) null);
    if (context == null || context.isNull()) {
      throw new IllegalStateException("swscale cannot convert pixel format " + picture.format() + " "
          + picture.width() + "x" + picture.height() + " to RGB " + size.width() + "x" + size.height());
    }
    IntPointer coefficients = sws_getCoefficients(matrix);
    sws_setColorspaceDetails(context, coefficients, range, sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16,
        1 << 16);
    sourceWidth = picture.width();
    sourceHeight = picture.height();
    sourceFormat = picture.format();
    sourceRange = range;
    sourceMatrix = matrix;
  }

  /** The swscale matrix for a stream's colour space tag; untagged video gets swscale's default (BT.601). */
  private static int colourMatrix(int colourSpace) {
    if (colourSpace == AVCOL_SPC_BT709 || colourSpace == AVCOL_SPC_FCC || colourSpace == AVCOL_SPC_BT470BG
        || colourSpace == AVCOL_SPC_SMPTE170M || colourSpace == AVCOL_SPC_SMPTE240M
        || colourSpace == AVCOL_SPC_BT2020_NCL || colourSpace == AVCOL_SPC_BT2020_CL) {
      return colourSpace;
    }
    return SWS_CS_DEFAULT;
  }

  @Override
  public void close() {
    if (context != null) {
      sws_freeContext(context);
      context = null;
    }
    av_free(buffer.position(0));
    planes.close();
    strides.close();
  }
}
