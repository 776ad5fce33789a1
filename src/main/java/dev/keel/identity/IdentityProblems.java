package dev.keel.identity;

import org.springframework.http.HttpStatus;

import dev.keel.shared.ProblemType;

/** Problem types of identity. */
public final class IdentityProblems {

	/** Wrong tenant, email or password; deliberately does not say which. */
	public static final ProblemType INVALID_CREDENTIALS = new ProblemType("invalid-credentials", "Invalid credentials", HttpStatus.UNAUTHORIZED);

	/** Too many failed logins: the account is locked until {@code lockedUntil}. */
	public static final ProblemType ACCOUNT_LOCKED = new ProblemType("account-locked", "Account locked", HttpStatus.LOCKED);

	/** A refresh token that is unknown, expired, spent or revoked. */
	public static final ProblemType INVALID_REFRESH_TOKEN = new ProblemType("invalid-refresh-token", "Invalid refresh token", HttpStatus.UNAUTHORIZED);

	/** A bearer token that does not verify (signature, algorithm, kid, expiry, issuer, audience, subject). */
	public static final ProblemType INVALID_TOKEN = new ProblemType("invalid-token", "Invalid access token", HttpStatus.UNAUTHORIZED);

	private IdentityProblems() {
	}

}
