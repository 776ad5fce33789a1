package dev.keel.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.keel.MutableClock;
import dev.keel.audit.AuditTrail;
import dev.keel.shared.KeelProblemException;
import dev.keel.storage.ObjectInfo;
import dev.keel.storage.ObjectStore;
import dev.keel.storage.StoredObject;

/** Which link the signed-url endpoint hands out, and the ttl rules. */
class FileDownloadsTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

	private final UUID tenant = UUID.randomUUID();

	private final UUID id = UUID.randomUUID();

	private final String key = "tenants/" + this.tenant + "/docs/" + this.id + "/report.pdf";

	@Test
	void aStoreThatCanPresignHandsOutItsOwnUrl() {
		List<Object> asked = new java.util.ArrayList<>();
		FileDownloads downloads = downloads(new StubStore() {
			@Override
			public Optional<URI> presign(String key, Duration ttl, String name) {
				asked.addAll(List.of(key, ttl, name));
				return Optional.of(URI.create("https://bucket.example/" + key + "?X-Amz-Signature=abc"));
			}
		});
		FileDownloads.SignedUrl url = downloads.signedUrl(this.id, "15m");
		assertThat(url.url()).isEqualTo("https://bucket.example/" + this.key + "?X-Amz-Signature=abc");
		assertThat(url.expiresAt()).isEqualTo(this.clock.instant().plus(Duration.ofMinutes(15)));
		assertThat(asked).containsExactly(this.key, Duration.ofMinutes(15), "Report Q3.pdf");
	}

	@Test
	void theFilesystemStoreGetsAKeelSignedLink() {
		FileDownloads.SignedUrl url = downloads(new StubStore()).signedUrl(this.id, null);
		assertThat(url.url()).startsWith("https://keel.example/files/signed/");
		assertThat(url.expiresAt()).isEqualTo(this.clock.instant().plus(FileDownloads.DEFAULT_TTL));
	}

	@Test
	void ttlAcceptsSecondsOrUnitsUpToTheMaximum() {
		Duration max = Duration.ofDays(7);
		assertThat(FileDownloads.ttl("3600", max)).isEqualTo(Duration.ofHours(1));
		assertThat(FileDownloads.ttl("7d", max)).isEqualTo(max);
		assertThat(FileDownloads.ttl(null, Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
		for (String bad : List.of("-1", "1w", "1.5h", "0", "8d", "99999999999")) {
			assertThatThrownBy(() -> FileDownloads.ttl(bad, max)).as(bad).isInstanceOf(KeelProblemException.class);
		}
	}

	private FileDownloads downloads(ObjectStore store) {
		FileStore files = mock(FileStore.class);
		when(files.row(this.id)).thenReturn(new FileRepository.FileRow(this.tenant, this.id, null, "Report Q3.pdf", "Report Q3.pdf",
				"application/pdf", 10, "x", "docs", "stored", this.key, null, 0, null, this.clock.instant(), this.clock.instant(), null));
		FilesProperties properties = new FilesProperties(25, null, Duration.ofDays(7), 0, false, "localhost", 3310, Duration.ofSeconds(1));
		SignedLinks links = new SignedLinks("a-test-secret-of-at-least-32-characters".getBytes(StandardCharsets.UTF_8), this.clock);
		return new FileDownloads(files, store, links, mock(AuditTrail.class), new FilesSettings(properties, false, true, "https://keel.example/"),
				this.clock);
	}

	/** A store that holds nothing and cannot presign (like the filesystem store). */
	static class StubStore implements ObjectStore {

		@Override
		public String backend() {
			return "stub";
		}

		@Override
		public StoredObject put(String key, InputStream content, String contentType) {
			throw new UnsupportedOperationException();
		}

		@Override
		public InputStream get(String key) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Optional<ObjectInfo> head(String key) {
			return Optional.empty();
		}

		@Override
		public boolean delete(String key) {
			return false;
		}

		@Override
		public Stream<ObjectInfo> list(String prefix) {
			return Stream.empty();
		}

		@Override
		public Optional<URI> presign(String key, Duration ttl, String downloadFileName) {
			return Optional.empty();
		}

	}

}
