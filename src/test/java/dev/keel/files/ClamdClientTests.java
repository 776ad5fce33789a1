package dev.keel.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The INSTREAM client against a real clamd started by the test, and against nothing at all. */
class ClamdClientTests {

	@Test
	void findsTheTestSignatureAndPassesCleanFiles() throws IOException {
		ClamdClient clamd = new ClamdClient("127.0.0.1", Clamd.shared().port(), Duration.ofSeconds(10));
		ClamdClient.Verdict infected = clamd.scan(new ByteArrayInputStream(TestFiles.EICAR.getBytes(StandardCharsets.US_ASCII)));
		assertThat(infected.infected()).isTrue();
		assertThat(infected.signature()).startsWith(Clamd.SIGNATURE);
		assertThat(clamd.scan(new ByteArrayInputStream(TestFiles.pdf()))).isEqualTo(ClamdClient.Verdict.CLEAN);
		// Larger than one 64 KB chunk: the length-prefixed chunks are reassembled by clamd.
		assertThat(clamd.scan(new ByteArrayInputStream(TestFiles.jpeg(800, 600))).infected()).isFalse();
		assertThat(clamd.ping()).isTrue();
	}

	@Test
	void aClosedPortIsUnavailableNotClean() throws IOException {
		int port;
		try (ServerSocket s = new ServerSocket(0)) {
			port = s.getLocalPort();
		}
		ClamdClient clamd = new ClamdClient("127.0.0.1", port, Duration.ofSeconds(2));
		assertThatThrownBy(() -> clamd.scan(new ByteArrayInputStream(TestFiles.pdf())))
			.isInstanceOf(ClamdClient.ScannerUnavailableException.class).hasMessageContaining("cannot reach clamd");
	}

	@Test
	void aServerThatNeverAnswersTimesOut() throws IOException {
		try (ServerSocket silent = new ServerSocket(0)) {
			ClamdClient clamd = new ClamdClient("127.0.0.1", silent.getLocalPort(), Duration.ofMillis(300));
			long t0 = System.nanoTime();
			assertThatThrownBy(() -> clamd.scan(new ByteArrayInputStream(TestFiles.pdf())))
				.isInstanceOf(ClamdClient.ScannerUnavailableException.class);
			assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
		}
	}

}
