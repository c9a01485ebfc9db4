package dev.kaskade.gateway.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/**
 * A test identity provider: RSA, EC and Ed25519 keys generated per instance, their JWKS written to
 * a file, and signed tokens with chosen claims.
 */
public final class Tokens {
  public static final String ISSUER = "https://idp.test";
  public static final String AUDIENCE = "kaskade";

  public final RSAKey rsa;
  public final ECKey ec;
  private final KeyPair ed;
  public final OctetKeyPair edJwk;

  public Tokens() {
    try {
      rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
      ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
      ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] spki = ed.getPublic().getEncoded();
      byte[] x = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
      edJwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID("ed-1").build();
    } catch (JOSEException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public JWKS of all three keys. */
  public JWKSet jwks() {
    List<JWK> keys = new ArrayList<>(List.of(rsa.toPublicJWK(), ec.toPublicJWK(), edJwk));
    return new JWKSet(keys);
  }

  public Path writeJwks(Path file) throws IOException {
    return writeJwks(file, jwks());
  }

  public static Path writeJwks(Path file, JWKSet set) throws IOException {
    Files.writeString(file, set.toString(true), StandardCharsets.UTF_8);
    return file;
  }

  /** Claims valid now: issuer, audience, subject, an hour to live. */
  public static JWTClaimsSet.Builder claims(String subject) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject(subject)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now.minusSeconds(5)))
        .expirationTime(Date.from(now.plusSeconds(3600)));
  }

  public String rs256(JWTClaimsSet claims) {
    return sign(JWSAlgorithm.RS256, rsa.getKeyID(), claims, signer(rsa));
  }

  public String es256(JWTClaimsSet claims) {
    return sign(JWSAlgorithm.ES256, ec.getKeyID(), claims, signer(ec));
  }

  /** EdDSA with the JDK's Ed25519 (Nimbus signs it only through Tink). */
  public String eddsa(JWTClaimsSet claims) {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(edJwk.getKeyID()).build();
    String input = header.toBase64URL() + "." + Base64URL.encode(claims.toString());
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initSign(ed.getPrivate());
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + Base64URL.encode(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token signed by {@code key} but announcing key id {@code kid}. */
  public static String rs256(RSAKey key, String kid, JWTClaimsSet claims) {
    return sign(JWSAlgorithm.RS256, kid, claims, signer(key));
  }

  /** An unsecured token ({@code alg: none}). */
  public static String unsigned(JWTClaimsSet claims) {
    return Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}")
        + "."
        + Base64URL.encode(claims.toString())
        + ".";
  }

  private static JWSSigner signer(JWK key) {
    try {
      return key instanceof RSAKey r ? new RSASSASigner(r) : new ECDSASigner((ECKey) key);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sign(JWSAlgorithm alg, String kid, JWTClaimsSet claims, JWSSigner signer) {
    try {
      JWSObject jws =
          new JWSObject(
              new JWSHeader.Builder(alg).keyID(kid).build(),
              new com.nimbusds.jose.Payload(claims.toJSONObject()));
      jws.sign(signer);
      return jws.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
