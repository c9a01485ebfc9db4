package dev.kaskade.sink.chain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Object keys of the audit store.
 *
 * <pre>
 * &lt;namespace&gt;/&lt;isvc&gt;/date=YYYY-MM-DD/hour=HH/p&lt;partition&gt;-&lt;first offset&gt;-&lt;last offset&gt;.avro
 * ...same name....manifest.json
 * _checkpoints/&lt;topic&gt;/p&lt;partition&gt;.json
 * _heads/&lt;topic&gt;/p&lt;partition&gt;.json   (signed heads, when the sink has a signing key)
 * _deletions/&lt;namespace&gt;[__&lt;isvc&gt;]-&lt;epoch ms&gt;.json
 * </pre>
 *
 * Offsets are zero-padded to 20 digits so that keys sort in offset order. The hour is the UTC hour
 * of the record's ce_time.
 */
public final class StoreLayout {
  public static final String DATA_SUFFIX = ".avro";
  public static final String MANIFEST_SUFFIX = ".manifest.json";
  public static final String CHECKPOINTS = "_checkpoints/";
  public static final String DELETIONS = "_deletions/";
  public static final String HEADS = "_heads/";
  private static final Pattern FILE =
      Pattern.compile(
          "(?<ns>[^/]+)/(?<isvc>[^/]+)/date=(?<date>\\d{4}-\\d{2}-\\d{2})/hour=(?<hour>\\d{2})/"
              + "p(?<p>\\d+)-(?<first>\\d{20})-(?<last>\\d{20})(?<suffix>\\.avro|\\.manifest\\.json)");

  private static final Pattern UNSAFE = Pattern.compile("[^a-zA-Z0-9._-]");

  private StoreLayout() {}

  /** A key segment made safe: Kubernetes names already are; anything else is replaced. */
  public static String safe(String name) {
    if (name == null || name.isEmpty()) {
      return "_";
    }
    for (int i = 0; i < name.length(); i++) {
      if (!isSafe(name.charAt(i))) {
        return UNSAFE.matcher(name).replaceAll("_");
      }
    }
    return name;
  }

  private static boolean isSafe(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '-';
  }

  public static String hourDirectory(String namespace, String isvc, long epochMs) {
    ZonedDateTime t = Instant.ofEpochMilli(epochMs).atZone(ZoneOffset.UTC);
    return String.format(
        "%s/%s/date=%04d-%02d-%02d/hour=%02d/",
        safe(namespace),
        safe(isvc),
        t.getYear(),
        t.getMonthValue(),
        t.getDayOfMonth(),
        t.getHour());
  }

  public static String baseName(int partition, long first, long last) {
    return String.format("p%d-%020d-%020d", partition, first, last);
  }

  public static String checkpoint(String topic, int partition) {
    return CHECKPOINTS + topic + "/p" + partition + ".json";
  }

  public static String signedHeads(String topic, int partition) {
    return HEADS + topic + "/p" + partition + ".json";
  }

  public static String dataKeyOf(String manifestKey) {
    return manifestKey.substring(0, manifestKey.length() - MANIFEST_SUFFIX.length()) + DATA_SUFFIX;
  }

  /** A parsed data or manifest key, or null when the key is not one. */
  public static FileKey parse(String key) {
    Matcher m = FILE.matcher(key);
    if (!m.matches()) {
      return null;
    }
    return new FileKey(
        key,
        m.group("ns"),
        m.group("isvc"),
        m.group("date"),
        Integer.parseInt(m.group("hour")),
        Integer.parseInt(m.group("p")),
        Long.parseLong(m.group("first")),
        Long.parseLong(m.group("last")),
        m.group("suffix").equals(MANIFEST_SUFFIX));
  }

  /** The parts of a data or manifest key. */
  public record FileKey(
      String key,
      String namespace,
      String isvc,
      String date,
      int hour,
      int partition,
      long firstOffset,
      long lastOffset,
      boolean manifest) {
    /** Start of the key's hour, epoch ms. */
    public long hourStartMs() {
      return Instant.parse(date + "T00:00:00Z").toEpochMilli() + hour * 3_600_000L;
    }
  }
}
