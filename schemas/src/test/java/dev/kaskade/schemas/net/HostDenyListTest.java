package dev.kaskade.schemas.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class HostDenyListTest {
  @Test
  void defaultListMatchesMetadataAndLinkLocalButNotLoopbackOrPublicAddresses() {
    assertThat(HostDenyList.firstMatch(HostDenyList.DEFAULT_ENTRIES, "169.254.169.254"))
        .isEqualTo("169.254.0.0/16");
    assertThat(HostDenyList.firstMatch(HostDenyList.DEFAULT_ENTRIES, "[::ffff:169.254.169.254]"))
        .isEqualTo("169.254.0.0/16");
    assertThat(HostDenyList.firstMatch(HostDenyList.DEFAULT_ENTRIES, "METADATA.google.internal"))
        .isEqualTo("metadata.google.internal");
    assertThat(HostDenyList.firstMatch(HostDenyList.DEFAULT_ENTRIES, "127.0.0.1")).isNull();
    assertThat(HostDenyList.firstMatch(HostDenyList.DEFAULT_ENTRIES, "203.0.113.9")).isNull();
  }

  @Test
  void cidrRangesCompareOnlyTheirPrefixBits() throws Exception {
    assertThat(HostDenyList.inRange("10.0.0.0/8", InetAddress.getByName("10.200.1.1"))).isTrue();
    assertThat(HostDenyList.inRange("10.0.0.0/9", InetAddress.getByName("10.200.1.1"))).isFalse();
    assertThat(HostDenyList.inRange("fe80::/10", InetAddress.getByName("10.0.0.1"))).isFalse();
  }
}
