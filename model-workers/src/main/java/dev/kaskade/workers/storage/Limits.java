package dev.kaskade.workers.storage;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Byte and entry budgets that fail with a message naming the operator's setting. */
final class Limits {
  private Limits() {}

  /** Thrown from inside streams and archive walks; mapped to {@code Kind.TOO_LARGE}. */
  static final class Exceeded extends IOException {
    Exceeded(String what, long limit, String setting) {
      super(what + " exceeds " + limit + " (setting " + setting + ")");
    }
  }

  /** A budget shared by several streams (every entry of an archive, every S3 object). */
  static final class Budget {
    private final String what;
    private final long limit;
    private final String setting;
    private long used;

    Budget(String what, long limit, String setting) {
      this.what = what;
      this.limit = limit;
      this.setting = setting;
    }

    void add(long n) throws Exceeded {
      used += n;
      if (used > limit) {
        throw new Exceeded(what, limit, setting);
      }
    }

    /** Fails before any byte moves when a declared size is already over the budget. */
    void expect(long declared) throws Exceeded {
      if (declared > 0 && used + declared > limit) {
        throw new Exceeded(what + " (" + declared + " bytes declared)", limit, setting);
      }
    }

    InputStream wrap(InputStream in) {
      return new FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            add(1);
          }
          return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
          int n = super.read(buf, off, len);
          if (n > 0) {
            add(n);
          }
          return n;
        }
      };
    }
  }

  static StorageException toStorage(Exceeded e, String uri) {
    return new StorageException(
        StorageException.Kind.TOO_LARGE, Redact.uri(uri) + ": " + e.getMessage(), e);
  }
}
