package dev.kaskade.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A size such as {@code 512m}, {@code 2GiB}, {@code 1.5g} or {@code 1048576} (bytes). Suffixes are
 * binary (k = 1024) as in JVM flags ({@code -Xmx2g}) and Kubernetes ({@code 2Gi}); the {@code b},
 * {@code i} and {@code ib} spellings are accepted so that both habits work.
 */
final class ByteSize implements ITypeConverter<Long> {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b|i)?", Pattern.CASE_INSENSITIVE);

  @Override
  public Long convert(String value) {
    return parse(value);
  }

  static long parse(String value) {
    Matcher m = SIZE.matcher(value == null ? "" : value.trim());
    if (!m.matches()) {
      throw new TypeConversionException(
          "'" + value + "' is not a size: use bytes or a suffix k, m, g, t (e.g. 512m, 2GiB)");
    }
    int shift =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 0;
        };
    double bytes = Double.parseDouble(m.group(1)) * (1L << shift);
    if (bytes < 1 || bytes >= Long.MAX_VALUE) {
      throw new TypeConversionException("'" + value + "' is not a positive size");
    }
    return (long) bytes;
  }
}
