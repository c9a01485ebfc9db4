package dev.kaskade.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.kaskade.gateway.testing.Tokens;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtVerifierTest {
  private static final Tokens IDP = new Tokens();
  @TempDir static Path dir;
  private static JwtVerifier verifier;
  private static Jwks jwks;

  @BeforeAll
  static void keys() throws Exception {
    Path file = IDP.writeJwks(dir.resolve("jwks.json"));
    jwks = new Jwks(file.toString(), Duration.ofMinutes(5), Duration.ZERO, Clock.systemUTC());
    verifier = new JwtVerifier(jwks.loadNow(), auth(file.toString()));
  }

  static SecurityConfig.Auth auth(String jwks) {
    return new SecurityConfig.Auth(
        jwks,
        Tokens.ISSUER,
        List.of(Tokens.AUDIENCE, "other"),
        null,
        false,
        Duration.ofSeconds(60),
        Duration.ofMinutes(5),
        Duration.ofSeconds(30));
  }

  @Test
  void aGoodTokenOfEachAlgorithmNamesItsSubjectAndGroups() {
    JWTClaimsSet claims = Tokens.claims("alice").claim("groups", List.of("ml", "ops")).build();

    for (String token : List.of(IDP.rs256(claims), IDP.es256(claims), IDP.eddsa(claims))) {
      assertThat(verifier.verify(token)).isEqualTo(new Caller("alice", List.of("ml", "ops")));
    }
  }

  @Test
  void anExpiredTokenIsRejected() {
    Instant past = Instant.now().minus(Duration.ofHours(1));
    JWTClaimsSet claims =
        Tokens.claims("alice").expirationTime(Date.from(past)).notBeforeTime(null).build();

    assertUnauthenticated(IDP.rs256(claims), "Expired");
  }

  @Test
  void expiryWithinTheClockSkewIsAccepted() {
    JWTClaimsSet claims =
        Tokens.claims("alice").expirationTime(Date.from(Instant.now().minusSeconds(20))).build();

    assertThat(verifier.verify(IDP.rs256(claims)).subject()).isEqualTo("alice");
  }

  @Test
  void aTokenNotYetValidIsRejected() {
    JWTClaimsSet claims =
        Tokens.claims("alice").notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build();

    assertUnauthenticated(IDP.rs256(claims), "before");
  }

  @Test
  void aTokenWithoutExpiryIsRejected() {
    assertUnauthenticated(IDP.rs256(Tokens.claims("alice").expirationTime(null).build()), "exp");
  }

  @Test
  void aWrongAudienceOrIssuerIsRejected() {
    assertUnauthenticated(
        IDP.rs256(Tokens.claims("alice").audience("someone-else").build()), "aud");
    assertUnauthenticated(IDP.es256(Tokens.claims("alice").issuer("https://evil").build()), "iss");
  }

  @Test
  void aBadSignatureIsRejected() {
    String token = IDP.rs256(Tokens.claims("alice").build());
    String[] parts = token.split("\\.");
    String forged =
        parts[0]
            + "."
            + com.nimbusds.jose.util.Base64URL.encode(Tokens.claims("mallory").build().toString())
            + "."
            + parts[2];

    assertUnauthenticated(forged, "signature");
  }

  @Test
  void aTokenSignedByAnUnknownKeyIsRejectedAndFlaggedAsUnknownKid() throws JOSEException {
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("rsa-unknown").generate();
    String token = Tokens.rs256(stranger, "rsa-unknown", Tokens.claims("alice").build());

    assertThat(verifier.knowsKey(token)).isFalse();
    assertThat(verifier.knowsKey(IDP.rs256(Tokens.claims("alice").build()))).isTrue();
    assertUnauthenticated(token, "");
  }

  @Test
  void aKnownKidWithAnotherKeysSignatureIsRejected() throws JOSEException {
    RSAKey stranger = new RSAKeyGenerator(2048).generate();

    assertUnauthenticated(Tokens.rs256(stranger, "rsa-1", Tokens.claims("alice").build()), "");
  }

  @Test
  void algNoneIsRejected() {
    assertUnauthenticated(Tokens.unsigned(Tokens.claims("alice").build()), "signed");
  }

  @Test
  void garbageIsRejected() {
    assertUnauthenticated("not-a-jwt", "signed");
  }

  @Test
  void aRotatedKeyIsAcceptedAfterAReload() throws Exception {
    Tokens rotated = new Tokens();
    Path file = dir.resolve("rotating.json");
    Tokens.writeJwks(file, IDP.jwks());
    Jwks keys = new Jwks(file.toString(), Duration.ofMinutes(5), Duration.ZERO, Clock.systemUTC());
    JwtVerifier v = new JwtVerifier(keys.loadNow(), auth(file.toString()));
    String token = Tokens.rs256(rotated.rsa, "rsa-2", Tokens.claims("alice").build());
    Tokens.writeJwks(
        file,
        new com.nimbusds.jose.jwk.JWKSet(
            new RSAKey.Builder(rotated.rsa.toRSAPublicKey()).keyID("rsa-2").build()));

    assertThat(v.knowsKey(token)).isFalse();
    assertThat(keys.reload()).isTrue();
    assertThat(v.verify(token).subject()).isEqualTo("alice");
  }

  @Test
  void reloadsAreRateLimited() throws Exception {
    Path file = IDP.writeJwks(dir.resolve("limited.json"));
    Jwks keys =
        new Jwks(file.toString(), Duration.ofMinutes(5), Duration.ofMinutes(1), Clock.systemUTC())
            .loadNow();

    assertThat(keys.reload()).isFalse();
  }

  private static void assertUnauthenticated(String token, String message) {
    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOfSatisfying(
            KaskadeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAUTHENTICATED))
        .hasMessageContaining(message);
  }
}
