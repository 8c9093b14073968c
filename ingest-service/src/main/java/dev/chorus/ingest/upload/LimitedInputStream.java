package dev.chorus.ingest.upload;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts bytes read and fails the read once more than {@code limit} bytes arrived. */
public final class LimitedInputStream extends FilterInputStream {

  /** Raised when the upload exceeds its size limit. */
  public static final class LimitExceededException extends IOException {
    LimitExceededException(long limit) {
      super("upload exceeds the limit of " + limit + " bytes");
    }
  }

  private final long limit;
  private long count;
  private boolean exceeded;

  public LimitedInputStream(InputStream in, long limit) {
    super(in);
    this.limit = limit;
  }

  public long count() {
    return count;
  }

  public boolean exceeded() {
    return exceeded;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      advance(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      advance(n);
    }
    return n;
  }

  private void advance(long n) throws LimitExceededException {
    count += n;
    if (count > limit) {
      exceeded = true;
      throw new LimitExceededException(limit);
    }
  }
}
