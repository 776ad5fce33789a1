package dev.keel.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.keel.Http;
import dev.keel.KeelTest;
import dev.keel.TestAdmin;
import dev.keel.TestTenants;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/** Forged and stale access tokens: every one of them is refused. */
@KeelTest
@TestPropertySource(properties = { "JWT_SECRET=" + AccessTokenAttackTests.SECRET, "JWT_PREVIOUS_SECRETS=" + AccessTokenAttackTests.PREVIOUS })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessTokenAttackTests {

	static final String SECRET = "current-secret-for-tests-0123456789abcdefghij";

	static final String PREVIOUS = "previous-secret-for-tests-0123456789abcdefgh";

	@LocalServerPort
	int port;

	TestTenants.TestTenant tenant;

	@BeforeAll
	void tenant() {
		this.tenant = TestTenants.create(this.port, "jwt");
	}

	private JWTClaimsSet.Builder validClaims() {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().subject(this.tenant.adminId().toString()).claim("tid", this.tenant.id().toString())
			.claim("roles", List.of("tenant_admin")).issuer("keel").audience("keel-api").issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString());
	}

	private static String hs256(String kid, byte[] key, JWTClaimsSet claims) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims);
		jwt.sign(new MACSigner(key));
		return jwt.serialize();
	}

	private static String kid(String secret) {
		return AccessTokens.kid(secret.getBytes(StandardCharsets.UTF_8));
	}

	private Http.Response me(String token) {
		return new Http(this.port).as(token).get("/api/me");
	}

	private void assertRefused(String token) {
		Http.Response response = me(token);
		assertThat(response.status()).as(response.body()).isEqualTo(401);
		assertThat(response.json().get("type").asString()).endsWith("/invalid-token");
	}

	@Test
	void acceptsTokensSignedWithTheCurrentAndAPreviousSecret() throws Exception {
		assertThat(me(hs256(kid(SECRET), SECRET.getBytes(StandardCharsets.UTF_8), validClaims().build())).status()).isEqualTo(200);
		assertThat(me(hs256(kid(PREVIOUS), PREVIOUS.getBytes(StandardCharsets.UTF_8), validClaims().build())).status()).isEqualTo(200);
	}

	@Test
	void refusesAlgNone() {
		Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
		String header = b64.encodeToString(("{\"alg\":\"none\",\"kid\":\"" + kid(SECRET) + "\"}").getBytes(StandardCharsets.UTF_8));
		String claims = b64.encodeToString(validClaims().build().toString().getBytes(StandardCharsets.UTF_8));
		assertRefused(header + "." + claims + ".");
	}

	@Test
	void refusesHs256SignedWithAnotherKey() throws Exception {
		assertRefused(hs256(kid(SECRET), "an-attackers-key-that-is-32-bytes-long!!".getBytes(StandardCharsets.UTF_8), validClaims().build()));
	}

	@Test
	void refusesRs256EvenWithAKnownKid() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		RSAPrivateKey key = (RSAPrivateKey) generator.generateKeyPair().getPrivate();
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid(SECRET)).build(), validClaims().build());
		jwt.sign(new RSASSASigner(key));
		assertRefused(jwt.serialize());
	}

	@Test
	void refusesExpiredTokens() throws Exception {
		Instant past = Instant.now().minusSeconds(3600);
		assertRefused(hs256(kid(SECRET), SECRET.getBytes(StandardCharsets.UTF_8),
				validClaims().issueTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(60))).build()));
	}

	@Test
	void refusesTokensWithoutExp() throws Exception {
		assertRefused(hs256(kid(SECRET), SECRET.getBytes(StandardCharsets.UTF_8), validClaims().expirationTime(null).build()));
	}

	@Test
	void refusesUnknownKidAndMissingKid() throws Exception {
		assertRefused(hs256("hs-0000000000000000", SECRET.getBytes(StandardCharsets.UTF_8), validClaims().build()));
		assertRefused(hs256(null, SECRET.getBytes(StandardCharsets.UTF_8), validClaims().build()));
	}

	@Test
	void refusesWrongIssuerOrAudience() throws Exception {
		assertRefused(hs256(kid(SECRET), SECRET.getBytes(StandardCharsets.UTF_8), validClaims().issuer("someone-else").build()));
		assertRefused(hs256(kid(SECRET), SECRET.getBytes(StandardCharsets.UTF_8), validClaims().audience("other-api").build()));
	}

	@Test
	void refusesTheTokenOfADeletedUser() {
		Http api = this.tenant.http(this.port);
		String id = api.post("/api/users", Map.of("email", "gone@example.com", "password", "Long-enough-secret-1")).json().get("id").asString();
		String token = TestTenants.login(this.port, this.tenant.slug(), "gone@example.com", "Long-enough-secret-1");
		assertThat(me(token).status()).isEqualTo(200);
		assertThat(api.delete("/api/users/" + id).status()).isEqualTo(204);
		assertRefused(token);
	}

	@Test
	void refusesTheTokenOfASuspendedTenantWithTheTenantSuspendedProblem() {
		TestTenants.TestTenant other = TestTenants.create(this.port, "jwtsusp");
		Http admin = new Http(this.port).as(TestAdmin.bearerToken(this.port));
		admin.post("/admin/tenants/" + other.id() + "/suspend", null);
		Http.Response response = me(other.token());
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.json().get("type").asString()).endsWith("/tenant-suspended");
	}

	@Test
	void refusesGarbage() {
		assertRefused("not-a-jwt");
		assertRefused("a.b.c");
	}

}
