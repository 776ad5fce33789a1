package dev.keel.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers shared by the stores (and by callers that check what they read back). */
public final class Digests {

	private Digests() {
	}

	public static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static String hex(byte[] digest) {
		return HexFormat.of().formatHex(digest);
	}

}
