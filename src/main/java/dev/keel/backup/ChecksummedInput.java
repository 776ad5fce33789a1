package dev.keel.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A backup object read during a restore, digested as it streams: {@link #requireSha256} reads what is
 * left and refuses (as corrupt) an object whose SHA-256 differs from the record's — called before a
 * restore commits, so a tampered or damaged object never lands even when its inner checksums agree.
 */
final class ChecksummedInput extends FilterInputStream {

	private final MessageDigest digest = SnapshotFile.sha256();

	ChecksummedInput(InputStream in) {
		super(in);
	}

	@Override
	public int read() throws IOException {
		int b = super.read();
		if (b >= 0) {
			this.digest.update((byte) b);
		}
		return b;
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		int n = super.read(b, off, len);
		if (n > 0) {
			this.digest.update(b, off, n);
		}
		return n;
	}

	@Override
	public long skip(long n) throws IOException {
		// Skipped bytes must be digested too.
		int len = (int) Math.min(Math.max(n, 0), 8192);
		int read = (len == 0) ? 0 : read(new byte[len], 0, len);
		return Math.max(read, 0);
	}

	@Override
	public boolean markSupported() {
		return false;
	}

	/** Reads the rest of the object and throws unless its SHA-256 is {@code expected}. */
	void requireSha256(String expected) throws IOException {
		byte[] buf = new byte[64 * 1024];
		while (read(buf, 0, buf.length) >= 0) {
			// digest the rest (the gzip trailer, at least)
		}
		String actual = HexFormat.of().formatHex(this.digest.digest());
		if (!actual.equals(expected)) {
			throw new SnapshotFile.CorruptBackupException("object checksum mismatch: the stored object has SHA-256 " + actual
					+ ", the backup record says " + expected + "; nothing was restored");
		}
	}

}
