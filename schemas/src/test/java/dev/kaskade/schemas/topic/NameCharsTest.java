package dev.kaskade.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NameCharsTest {
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]+");
  private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]+");

  @Test
  void everyCharacterIsJudgedAsTheRegularExpressionsJudgeIt() {
    for (char c = 0; c < 0x3000; c++) {
      String one = Character.toString(c);
      String inside = "a" + c + "b";
      assertThat(NameChars.isTopicName(one)).as("U+%04X", (int) c).isEqualTo(matches(TOPIC, one));
      assertThat(NameChars.isTopicName(inside)).isEqualTo(matches(TOPIC, inside));
      assertThat(NameChars.isRequestId(one))
          .as("U+%04X", (int) c)
          .isEqualTo(matches(REQUEST_ID, one));
      assertThat(NameChars.isRequestId(inside)).isEqualTo(matches(REQUEST_ID, inside));
    }
  }

  @Test
  void randomStringsFromANearbyAlphabetAgreeWithTheRegularExpressions() {
    String alphabet = "aZ09._-:/ \u00e9\u0000$";
    Random random = new Random(15);
    int accepted = 0;
    for (int n = 0; n < 20_000; n++) {
      StringBuilder s = new StringBuilder();
      for (int i = random.nextInt(6); i > 0; i--) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      assertThat(NameChars.isTopicName(s)).as(s.toString()).isEqualTo(matches(TOPIC, s));
      assertThat(NameChars.isRequestId(s)).as(s.toString()).isEqualTo(matches(REQUEST_ID, s));
      accepted += NameChars.isRequestId(s) ? 1 : 0;
    }
    assertThat(accepted).as("some strings pass, so both answers were exercised").isGreaterThan(100);
  }

  @Test
  void emptyAndNullAreNeitherNames() {
    assertThat(NameChars.isTopicName("")).isFalse();
    assertThat(NameChars.isRequestId("")).isFalse();
    assertThat(NameChars.isTopicName(null)).isFalse();
    assertThat(NameChars.isRequestId(null)).isFalse();
  }

  @Test
  void aColonIsARequestIdCharacterButNotATopicCharacter() {
    assertThat(NameChars.isRequestId("urn:req:1")).isTrue();
    assertThat(NameChars.isTopicName("urn:req:1")).isFalse();
  }

  private static boolean matches(Pattern p, CharSequence s) {
    return p.matcher(s).matches();
  }
}
