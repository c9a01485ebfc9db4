package dev.kaskade.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import java.security.Key;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a bearer JWT: signed with RS256/384/512, PS256/384/512, ES256/384/512 or EdDSA (Ed25519)
 * by a key of the {@link Jwks} (never {@code none} or HMAC), the configured issuer, one of the
 * audiences, {@code exp} required, {@code exp} and {@code nbf} with the allowed clock skew. Pure
 * CPU: never fetches keys (see {@link #knowsKey}).
 */
public final class JwtVerifier {
  static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512,
          JWSAlgorithm.ES256,
          JWSAlgorithm.ES384,
          JWSAlgorithm.ES512,
          JWSAlgorithm.EdDSA,
          JWSAlgorithm.Ed25519);

  private final Jwks jwks;
  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

  public JwtVerifier(Jwks jwks, SecurityConfig.Auth auth) {
    this.jwks = jwks;
    var claims =
        new DefaultJWTClaimsVerifier<>(
            new HashSet<>(auth.audiences()),
            new JWTClaimsSet.Builder().issuer(auth.issuer()).build(),
            Set.of("sub", "exp"),
            Set.of());
    claims.setMaxClockSkew((int) auth.clockSkew().toSeconds());
    processor.setJWTClaimsSetVerifier(claims);
    processor.setJWSKeySelector(this::keys);
    processor.setJWSVerifierFactory(Ed25519JwsVerifier.factory());
    // Plain JWTs and RFC 9068 access tokens (Keycloak, cloud IdPs, Kubernetes use "JWT" or none).
    processor.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT,
            new JOSEObjectType("at+jwt"),
            new JOSEObjectType("application/at+jwt"),
            null));
  }

  /**
   * The caller a token proves.
   *
   * @throws KaskadeException UNAUTHENTICATED with the reason, for any token that does not verify
   */
  public Caller verify(String token) {
    SignedJWT jwt = parse(token);
    try {
      JWTClaimsSet claims = processor.process(jwt, null);
      return new Caller(claims.getSubject(), groups(claims));
    } catch (BadJOSEException | JOSEException e) {
      throw unauthenticated("Invalid bearer token: " + e.getMessage());
    }
  }

  /**
   * Whether the keys can decide on this token: false only for a well-formed token whose {@code kid}
   * is not among the current keys, the sign that the IdP rotated its keys.
   */
  public boolean knowsKey(String token) {
    try {
      String kid = SignedJWT.parse(token).getHeader().getKeyID();
      return kid == null || jwks.current().getKeyByKeyId(kid) != null;
    } catch (ParseException | RuntimeException e) {
      return true;
    }
  }

  static KaskadeException unauthenticated(String message) {
    return new KaskadeException(Reason.UNAUTHENTICATED, message);
  }

  private static SignedJWT parse(String token) {
    try {
      return SignedJWT.parse(token);
    } catch (ParseException | RuntimeException e) {
      // Includes alg "none": an unsecured JWT is not a JWS.
      throw unauthenticated("Invalid bearer token: not a signed JWT");
    }
  }

  private List<Key> keys(JWSHeader header, SecurityContext context) {
    if (!ALGORITHMS.contains(header.getAlgorithm())) {
      return List.of();
    }
    List<Key> keys = new ArrayList<>();
    for (JWK jwk : new JWKSelector(JWKMatcher.forJWSHeader(header)).select(jwks.current())) {
      Key key = publicKey(jwk);
      if (key != null) {
        keys.add(key);
      }
    }
    return keys;
  }

  private static Key publicKey(JWK jwk) {
    try {
      return switch (jwk) {
        case RSAKey rsa -> rsa.toRSAPublicKey();
        case ECKey ec -> ec.toECPublicKey();
        case OctetKeyPair okp -> Ed25519JwsVerifier.toPublicKey(okp);
        default -> null;
      };
    } catch (JOSEException e) {
      return null;
    }
  }

  private static List<String> groups(JWTClaimsSet claims) {
    Object groups = claims.getClaim("groups");
    if (groups instanceof String one) {
      return List.of(one);
    }
    if (groups instanceof List<?> list) {
      return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return List.of();
  }
}
