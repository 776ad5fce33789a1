package dev.keel.files;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.keel.shared.KeelProblemException;

/**
 * Keel's own share links for stores that cannot presign (the filesystem). A token is base64url of
 * {@code version | tenantId | fileId | expiry (epoch seconds) | HMAC-SHA256 of the rest} under
 * {@code SIGNED_URL_SECRET}: bound to one file of one tenant until one instant, unforgeable and
 * unalterable without the key. Nothing is stored; deleting the file ends every link to it.
 */
final class SignedLinks {

	private static final byte VERSION = 1;

	private static final int BODY = 1 + 16 + 16 + 8;

	private static final int LENGTH = BODY + 32;

	private static final byte[] DOMAIN = "keel-file-link\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

	private final SecretKeySpec key;

	private final Clock clock;

	SignedLinks(byte[] secret, Clock clock) {
		this.key = new SecretKeySpec(secret, "HmacSHA256");
		this.clock = clock;
	}

	/** A verified link: which file of which tenant, until when. */
	record Link(UUID tenantId, UUID fileId, Instant expiresAt) {
	}

	String sign(UUID tenantId, UUID fileId, Instant expiresAt) {
		ByteBuffer b = ByteBuffer.allocate(LENGTH);
		b.put(VERSION).putLong(tenantId.getMostSignificantBits()).putLong(tenantId.getLeastSignificantBits())
			.putLong(fileId.getMostSignificantBits()).putLong(fileId.getLeastSignificantBits()).putLong(expiresAt.getEpochSecond());
		b.put(mac(b.array(), BODY));
		return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
	}

	/** The link in {@code token}, or a 403 problem when it was altered, forged or has expired. */
	Link verify(String token) {
		byte[] raw;
		try {
			raw = Base64.getUrlDecoder().decode(token);
		}
		catch (IllegalArgumentException ex) {
			throw invalid("the link is malformed");
		}
		if (raw.length != LENGTH || raw[0] != VERSION) {
			throw invalid("the link is malformed");
		}
		byte[] expected = mac(raw, BODY);
		byte[] given = java.util.Arrays.copyOfRange(raw, BODY, LENGTH);
		if (!MessageDigest.isEqual(expected, given)) {
			throw invalid("the link's signature does not match");
		}
		ByteBuffer b = ByteBuffer.wrap(raw, 1, BODY - 1);
		UUID tenant = new UUID(b.getLong(), b.getLong());
		UUID file = new UUID(b.getLong(), b.getLong());
		Instant expires = Instant.ofEpochSecond(b.getLong());
		if (!this.clock.instant().isBefore(expires)) {
			throw invalid("the link expired at " + expires);
		}
		return new Link(tenant, file, expires);
	}

	private byte[] mac(byte[] data, int length) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			mac.update(DOMAIN);
			mac.update(data, 0, length);
			return mac.doFinal();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static KeelProblemException invalid(String why) {
		return new KeelProblemException(FileProblems.SIGNED_URL_INVALID, "This file link is not valid: " + why);
	}

}
