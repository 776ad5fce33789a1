package dev.keel.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keel.shared.KeelProblemException;
import dev.keel.tenancy.TenancyProblems;
import dev.keel.tenancy.TenantScope;
import dev.keel.tenancy.Tenants;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issues and verifies access tokens exactly as SPEC C4 says: HS256 only (the algorithm is pinned,
 * never taken from the token), a {@code kid} looked up in a fixed map built from {@code JWT_SECRET}
 * and {@code JWT_PREVIOUS_SECRETS} (so rotation keeps old tokens valid until they expire), and
 * {@code exp}, {@code iat}, {@code jti}, {@code sub}, {@code tid}, {@code iss} and {@code aud} required.
 * A verified token is then checked against the database: the user must still exist and be active,
 * the tenant must not be deleted (401) or suspended (403).
 */
@Service
public class AccessTokens {

	private static final Logger log = LoggerFactory.getLogger(AccessTokens.class);

	private static final int MIN_KEY_BYTES = 32;

	private final Map<String, byte[]> keys;

	private final String currentKid;

	private final MACSigner signer;

	private final IdentityProperties properties;

	private final Clock clock;

	private final UserRepository users;

	private final Tenants tenants;

	private final TransactionTemplate tx;

	AccessTokens(IdentityProperties properties, Clock clock, UserRepository users, Tenants tenants, TransactionTemplate tx,
			@Value("${keel.env:dev}") String env) throws JOSEException {
		this.properties = properties;
		this.clock = clock;
		this.users = users;
		this.tenants = tenants;
		this.tx = tx;
		String current = properties.jwtSecret();
		if ((current == null || current.isBlank()) && !"dev".equals(env)) {
			// Several instances must share one key, and restarts must not sign everybody out: only dev may improvise.
			throw new IllegalStateException("JWT_SECRET must be set outside dev (APP_ENV=" + env + ")");
		}
		if (current == null || current.isBlank()) {
			byte[] random = new byte[48];
			new SecureRandom().nextBytes(random);
			current = HexFormat.of().formatHex(random);
			log.warn("JWT_SECRET is not set: signing access tokens with a random per-process secret; tokens die with this process");
		}
		Map<String, byte[]> map = new LinkedHashMap<>();
		byte[] currentKey = current.getBytes(StandardCharsets.UTF_8);
		if (currentKey.length < MIN_KEY_BYTES) {
			throw new IllegalStateException("JWT_SECRET must be at least " + MIN_KEY_BYTES + " bytes for HS256");
		}
		this.currentKid = kid(currentKey);
		map.put(this.currentKid, currentKey);
		for (String previous : properties.jwtPreviousSecrets()) {
			byte[] key = previous.getBytes(StandardCharsets.UTF_8);
			if (key.length < MIN_KEY_BYTES) {
				log.warn("Ignoring a JWT_PREVIOUS_SECRETS entry shorter than {} bytes", MIN_KEY_BYTES);
				continue;
			}
			map.putIfAbsent(kid(key), key);
		}
		this.keys = Map.copyOf(map);
		this.signer = new MACSigner(currentKey);
	}

	/** The key id of a secret: a short SHA-256 fingerprint, so operators never configure kids by hand. */
	static String kid(byte[] key) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
			return "hs-" + HexFormat.of().formatHex(digest, 0, 8);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A signed access token for {@code user} of tenant {@code tenantSlug}. */
	Issued issue(UserRepository.User user) {
		Instant now = this.clock.instant();
		Instant exp = now.plus(this.properties.jwtExpiresIn());
		JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(user.id().toString())
			.claim("tid", user.tenantId().toString())
			.claim("roles", user.roles())
			.issuer(this.properties.jwtIssuer())
			.audience(this.properties.jwtAudience())
			.issueTime(Date.from(now))
			.expirationTime(Date.from(exp))
			.jwtID(UUID.randomUUID().toString())
			.build();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(this.currentKid).type(JOSEObjectType.JWT).build(), claims);
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot sign access token", ex);
		}
		return new Issued(jwt.serialize(), this.properties.jwtExpiresIn().toSeconds());
	}

	/**
	 * Verifies {@code token} and resolves its principal, or throws a problem: {@link IdentityProblems#INVALID_TOKEN}
	 * (401) for anything wrong with the token, its user or a deleted tenant, and
	 * {@link TenancyProblems#TENANT_SUSPENDED} (403) for a suspended tenant.
	 */
	public KeelPrincipal authenticate(String token) {
		JWTClaimsSet claims = verify(token);
		UUID userId;
		UUID tenantId;
		try {
			userId = UUID.fromString(claims.getSubject());
			tenantId = UUID.fromString(claims.getStringClaim("tid"));
		}
		catch (IllegalArgumentException | ParseException ex) {
			throw invalid("the token's subject or tenant is malformed");
		}
		Tenants.Tenant tenant = this.tenants.byId(tenantId).orElseThrow(() -> invalid("the token's tenant does not exist"));
		if (Tenants.Tenant.DELETED.equals(tenant.status())) {
			throw invalid("the token's tenant is deleted");
		}
		if (Tenants.Tenant.SUSPENDED.equals(tenant.status())) {
			throw new KeelProblemException(TenancyProblems.TENANT_SUSPENDED, "Tenant '" + tenant.slug() + "' is suspended");
		}
		UserRepository.User user = TenantScope.call(tenantId, () -> this.tx.execute((s) -> this.users.byId(userId)))
			.filter((u) -> "active".equals(u.status()))
			.orElseThrow(() -> invalid("the token's user no longer exists or is disabled"));
		return new KeelPrincipal(user.id(), tenantId, tenant.slug(), user.email(), user.roles());
	}

	JWTClaimsSet verify(String token) {
		SignedJWT jwt;
		try {
			// SignedJWT.parse refuses unsecured ("alg": "none") tokens: they are not JWS objects.
			jwt = SignedJWT.parse(token);
		}
		catch (ParseException ex) {
			throw invalid("the token is not a signed JWT");
		}
		if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
			throw invalid("the token's algorithm is not accepted");
		}
		String kid = jwt.getHeader().getKeyID();
		byte[] key = (kid != null) ? this.keys.get(kid) : null;
		if (key == null) {
			throw invalid("the token's key id is unknown");
		}
		try {
			if (!jwt.verify(new MACVerifier(key))) {
				throw invalid("the token's signature does not verify");
			}
			JWTClaimsSet claims = jwt.getJWTClaimsSet();
			DefaultJWTClaimsVerifier<?> verifier = new DefaultJWTClaimsVerifier<>(this.properties.jwtAudience(),
					new JWTClaimsSet.Builder().issuer(this.properties.jwtIssuer()).build(), Set.of("sub", "tid", "exp", "iat", "jti"));
			verifier.setMaxClockSkew(30);
			verifier.verify(claims, null);
			if (claims.getExpirationTime().toInstant().isBefore(this.clock.instant().minusSeconds(30))) {
				throw invalid("the token has expired");
			}
			return claims;
		}
		catch (BadJWTException ex) {
			throw invalid("the token's claims are not accepted: " + ex.getMessage());
		}
		catch (JOSEException | ParseException ex) {
			throw invalid("the token cannot be verified");
		}
	}

	private static KeelProblemException invalid(String detail) {
		return new KeelProblemException(IdentityProblems.INVALID_TOKEN, "Invalid access token: " + detail);
	}

	/** A freshly signed token and its lifetime in seconds. */
	record Issued(String token, long expiresIn) {
	}

	List<String> kids() {
		return List.copyOf(this.keys.keySet());
	}

}
