package dev.kaskade.gateway.auth;

import dev.kaskade.schemas.error.KaskadeException;
import dev.kaskade.schemas.error.Reason;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The gateway's one authentication and authorization decision, shared by every protocol: {@link
 * #authenticate} turns an {@code Authorization} header into a {@link Caller} (401 / UNAUTHENTICATED
 * otherwise), {@link #authorize} checks the caller against the policy (403 / PERMISSION_DENIED).
 * Verification runs on the calling event loop; only a key reload (an unknown {@code kid}, or keys
 * older than the refresh interval) goes to a worker thread.
 */
public final class Authenticator {
  public static final String CHALLENGE = "Bearer";
  private static final String BEARER = "bearer ";

  private final Vertx vertx;
  private final Jwks jwks;
  private final JwtVerifier verifier;
  private final AuthPolicy policy;
  private final boolean protectMetrics;
  private final AtomicBoolean refreshing = new AtomicBoolean();

  private Authenticator(
      Vertx vertx, Jwks jwks, JwtVerifier verifier, AuthPolicy policy, boolean protectMetrics) {
    this.vertx = vertx;
    this.jwks = jwks;
    this.verifier = verifier;
    this.policy = policy;
    this.protectMetrics = protectMetrics;
  }

  /** Every call allowed, as anonymous. */
  public static Authenticator disabled() {
    return new Authenticator(null, null, null, AuthPolicy.ALLOW_ALL, false);
  }

  /** Loads the keys and the policy now, so that a bad setting stops the gateway from starting. */
  public static Authenticator create(Vertx vertx, SecurityConfig.Auth auth) {
    if (auth == null) {
      return disabled();
    }
    Jwks jwks =
        new Jwks(auth.jwks(), auth.jwksRefresh(), auth.jwksMinRefresh(), Clock.systemUTC())
            .loadNow();
    AuthPolicy policy =
        auth.policy() == null ? AuthPolicy.ALLOW_ALL : AuthPolicy.load(auth.policy());
    return new Authenticator(
        vertx, jwks, new JwtVerifier(jwks, auth), policy, auth.protectMetrics());
  }

  public boolean enabled() {
    return verifier != null;
  }

  /** Whether {@code /metrics} needs a token. */
  public boolean protectsMetrics() {
    return enabled() && protectMetrics;
  }

  /** The caller an {@code Authorization} header proves; fails UNAUTHENTICATED. */
  public Future<Caller> authenticate(String authorization) {
    if (!enabled()) {
      return Future.succeededFuture(Caller.ANONYMOUS);
    }
    if (authorization == null
        || authorization.length() <= BEARER.length()
        || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Future.failedFuture(
          JwtVerifier.unauthenticated("Missing bearer token (Authorization: Bearer <JWT>)."));
    }
    String token = authorization.substring(BEARER.length()).trim();
    if (jwks.stale()) {
      refreshInBackground();
    }
    if (!verifier.knowsKey(token)) {
      // The IdP may have rotated its keys: reload (rate-limited) before deciding.
      return vertx.executeBlocking(jwks::reload, false).map(reloaded -> verifier.verify(token));
    }
    try {
      return Future.succeededFuture(verifier.verify(token));
    } catch (KaskadeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Throws PERMISSION_DENIED unless the policy allows the caller the target. */
  public void authorize(Caller caller, Target target) {
    if (enabled() && !policy.allows(caller, target)) {
      throw new KaskadeException(
          Reason.PERMISSION_DENIED,
          "Subject "
              + caller.subject()
              + " may not "
              + target.verb().policyName()
              + (target.model() == null ? "" : " model " + target.model())
              + " in namespace "
              + target.namespace()
              + ".");
    }
  }

  private void refreshInBackground() {
    if (refreshing.compareAndSet(false, true)) {
      vertx.executeBlocking(jwks::reload, false).onComplete(ar -> refreshing.set(false));
    }
  }
}
