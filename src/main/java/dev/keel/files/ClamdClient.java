package dev.keel.files;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A small clamd client over TCP: {@code zINSTREAM} (the content in chunks, each prefixed by its
 * 4-byte big-endian length, ended by a zero length) and {@code zPING}. Any failure to get a verdict —
 * refused connection, timeout, an error reply such as {@code INSTREAM size limit exceeded} — is a
 * {@link ScannerUnavailableException}, so callers fail closed.
 */
final class ClamdClient {

	private static final int CHUNK = 64 * 1024;

	private static final int MAX_REPLY = 4096;

	private final String host;

	private final int port;

	private final Duration timeout;

	ClamdClient(String host, int port, Duration timeout) {
		this.host = host;
		this.port = port;
		this.timeout = timeout;
	}

	/** A scan verdict: clean, or infected with the signature's name. */
	record Verdict(boolean infected, String signature) {

		static final Verdict CLEAN = new Verdict(false, null);

	}

	/** clamd could not give a verdict. */
	static final class ScannerUnavailableException extends IOException {

		ScannerUnavailableException(String message, Throwable cause) {
			super(message, cause);
		}

	}

	Verdict scan(InputStream content) throws ScannerUnavailableException {
		String reply;
		try (Socket socket = connect()) {
			// One buffered write per chunk (length + data): with a separate 4-byte write per chunk, Nagle's
			// algorithm and delayed ACKs stall each chunk by tens of milliseconds.
			DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), CHUNK + 8));
			out.write("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
			byte[] buffer = new byte[CHUNK];
			int n;
			try {
				while ((n = content.readNBytes(buffer, 0, CHUNK)) > 0) {
					out.writeInt(n);
					out.write(buffer, 0, n);
				}
				out.writeInt(0);
				out.flush();
			}
			catch (java.net.SocketException ex) {
				// clamd closes the stream when it passes StreamMaxLength; its reply says so.
			}
			reply = readReply(new java.io.BufferedInputStream(socket.getInputStream()));
		}
		catch (ScannerUnavailableException ex) {
			throw ex;
		}
		catch (IOException ex) {
			throw new ScannerUnavailableException("clamd at " + this.host + ":" + this.port + " did not answer: " + ex.getMessage(), ex);
		}
		if (reply.endsWith(" FOUND")) {
			String signature = reply.substring(reply.indexOf(':') + 1, reply.length() - " FOUND".length()).strip();
			return new Verdict(true, signature);
		}
		if (reply.equals("stream: OK")) {
			return Verdict.CLEAN;
		}
		throw new ScannerUnavailableException("clamd answered an error: " + reply, null);
	}

	/** {@code zPING}; true when clamd answers {@code PONG}. */
	boolean ping() throws IOException {
		try (Socket socket = connect()) {
			socket.getOutputStream().write("zPING\0".getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			return "PONG".equals(readReply(socket.getInputStream()));
		}
	}

	String address() {
		return this.host + ":" + this.port;
	}

	private Socket connect() throws IOException {
		Socket socket = new Socket();
		int millis = (int) Math.min(Integer.MAX_VALUE, this.timeout.toMillis());
		try {
			socket.connect(new InetSocketAddress(this.host, this.port), millis);
			socket.setSoTimeout(millis);
			socket.setTcpNoDelay(true);
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw new ScannerUnavailableException("cannot reach clamd at " + this.host + ":" + this.port + ": " + ex.getMessage(), ex);
		}
	}

	/** A reply ends with the NUL of the z-prefixed command (or the connection closing). */
	private static String readReply(InputStream in) throws IOException {
		ByteArrayOutputStream reply = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) > 0 && reply.size() < MAX_REPLY) {
			reply.write(b);
		}
		return reply.toString(StandardCharsets.US_ASCII).strip();
	}

}
