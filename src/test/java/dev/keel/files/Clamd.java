package dev.keel.files;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

import dev.keel.storage.Digests;

/**
 * A real clamd for tests, started by the test itself: a private config ({@code TCPSocket} on a free
 * port, no local socket, foreground) and a one-signature database matching the EICAR test file, so it
 * starts offline in well under a second. One per test JVM; stopped at JVM exit. Without the clamd
 * binary the tests are skipped, unless {@code CI} is set, where that is a failure.
 */
final class Clamd {

	static final String BINARY = "/usr/sbin/clamd";

	static final String SIGNATURE = "Keel-Test-EICAR";

	private static Clamd shared;

	private final Path dir;

	private final int port;

	private Process process;

	private Clamd(Path dir, int port) {
		this.dir = dir;
		this.port = port;
	}

	/** The JVM's clamd, started on first use. */
	static synchronized Clamd shared() {
		requireBinary();
		if (shared == null) {
			try {
				Path dir = Files.createTempDirectory("keel-clamd-");
				Files.createDirectories(dir.resolve("db"));
				byte[] eicar = TestFiles.EICAR.getBytes(StandardCharsets.US_ASCII);
				String md5 = Digests.hex(java.security.MessageDigest.getInstance("MD5").digest(eicar));
				// The line sigtool --md5 writes (md5:size:name) matches the bare EICAR file; the body signature
				// (name:any type:any offset:hex) also finds the EICAR string inside a file that passes the upload rules.
				Files.writeString(dir.resolve("db/keel-test.hdb"), md5 + ":" + eicar.length + ":" + SIGNATURE + "\n");
				Files.writeString(dir.resolve("db/keel-test.ndb"), SIGNATURE + "-Body:0:*:" + java.util.HexFormat.of().formatHex(eicar) + "\n");
				int port;
				try (ServerSocket s = new ServerSocket(0)) {
					port = s.getLocalPort();
				}
				Files.writeString(dir.resolve("clamd.conf"), String.join("\n", "TCPSocket " + port, "TCPAddr 127.0.0.1",
						"DatabaseDirectory " + dir.resolve("db"), "Foreground yes", "LogFile " + dir.resolve("clamd.log"),
						"StreamMaxLength 60M", "") );
				shared = new Clamd(dir, port);
				shared.start();
				Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (java.security.NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return shared;
	}

	static void requireBinary() {
		if (!Files.isExecutable(Path.of(BINARY))) {
			if (System.getenv("CI") != null) {
				fail(BINARY + " is missing: .ci/run installs clamav-daemon");
			}
			Assumptions.assumeTrue(false, "clamd is not installed (apt-get install clamav-daemon); skipping the virus-scan tests");
		}
	}

	int port() {
		return this.port;
	}

	synchronized void start() {
		if (this.process != null && this.process.isAlive()) {
			return;
		}
		try {
			this.process = new ProcessBuilder(BINARY, "-c", this.dir.resolve("clamd.conf").toString())
				.redirectErrorStream(true).redirectOutput(this.dir.resolve("clamd.out").toFile()).start();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
			while (System.nanoTime() < deadline) {
				if (!this.process.isAlive()) {
					fail("clamd exited: " + Files.readString(this.dir.resolve("clamd.out")));
				}
				try (Socket s = new Socket()) {
					s.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
					return;
				}
				catch (IOException notYet) {
					Thread.sleep(50);
				}
			}
			fail("clamd did not listen on port " + this.port + " within 60 s");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	synchronized void stop() {
		if (this.process != null) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
					this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process = null;
		}
	}

}
