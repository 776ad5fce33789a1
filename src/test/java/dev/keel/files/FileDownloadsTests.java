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
import dev.keel.tenancy.Tenants;

/** Which link the signed-url endpoint hands out, when nothing is served, and the ttl rules. */
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
	void aFileNotYetStoredOrRejectedIsNeitherServedNorSharedButAnswers409NamingItsStatus() {
		for (String status : List.of("processing", "rejected")) {
			FileDownloads downloads = downloads(new ContentStore(), status, Tenants.Tenant.ACTIVE);
			String token = this.links.sign(this.tenant, this.id, this.clock.instant().plusSeconds(600));
			List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> calls = List.of(() -> downloads.open(this.id, false),
					() -> downloads.open(this.id, true), () -> downloads.signedUrl(this.id, "10m"), () -> downloads.openSigned(token));
			for (var call : calls) {
				assertThatThrownBy(call).as(status).isInstanceOfSatisfying(KeelProblemException.class, (ex) -> {
					assertThat(ex.type().slug()).isEqualTo("file-not-ready");
					assertThat(ex.type().status().value()).isEqualTo(409);
					assertThat(ex.extensions()).containsEntry("status", status);
					assertThat(ex.getMessage()).contains(status);
				});
			}
		}
	}

	@Test
	void aStoredFileIsServedDirectlyAndByItsKeelLink() throws Exception {
		FileDownloads downloads = downloads(new ContentStore(), "stored", Tenants.Tenant.ACTIVE);
		try (InputStream in = downloads.open(this.id, false).content()) {
			assertThat(in.readAllBytes()).isEqualTo(ContentStore.BYTES);
		}
		String token = this.links.sign(this.tenant, this.id, this.clock.instant().plusSeconds(600));
		try (InputStream in = downloads.openSigned(token).content()) {
			assertThat(in.readAllBytes()).isEqualTo(ContentStore.BYTES);
		}
	}

	@Test
	void aKeelLinkOfASuspendedOrDeletedTenantIsRefusedLikeAnInvalidLink() {
		String token = this.links.sign(this.tenant, this.id, this.clock.instant().plusSeconds(600));
		for (String status : List.of(Tenants.Tenant.SUSPENDED, Tenants.Tenant.DELETED)) {
			assertThatThrownBy(() -> downloads(new ContentStore(), "stored", status).openSigned(token)).as(status)
				.isInstanceOfSatisfying(KeelProblemException.class, (ex) -> assertThat(ex.type().slug()).isEqualTo("signed-url-invalid"));
		}
		assertThatThrownBy(() -> downloads(new ContentStore(), "stored", null).openSigned(token)).as("purged tenant")
			.isInstanceOfSatisfying(KeelProblemException.class, (ex) -> assertThat(ex.type().slug()).isEqualTo("signed-url-invalid"));
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

	private final SignedLinks links = new SignedLinks("a-test-secret-of-at-least-32-characters".getBytes(StandardCharsets.UTF_8), this.clock);

	private FileDownloads downloads(ObjectStore store) {
		return downloads(store, "stored", Tenants.Tenant.ACTIVE);
	}

	/** Downloads of one file in {@code fileStatus}, of a tenant in {@code tenantStatus} (null: no such tenant). */
	private FileDownloads downloads(ObjectStore store, String fileStatus, String tenantStatus) {
		FileStore files = mock(FileStore.class);
		boolean rejected = "rejected".equals(fileStatus);
		when(files.row(this.id)).thenReturn(new FileRepository.FileRow(this.tenant, this.id, null, "Report Q3.pdf", "Report Q3.pdf",
				"application/pdf", 10, "x", "docs", fileStatus, rejected ? null : this.key, rejected ? null : this.key + ".thumb", 0, null,
				this.clock.instant(), this.clock.instant(), null));
		Tenants tenants = mock(Tenants.class);
		when(tenants.byId(this.tenant)).thenReturn(Optional.ofNullable(tenantStatus)
			.map((s) -> new Tenants.Tenant(this.tenant, "t", "T", s, this.clock.instant(), this.clock.instant(), null)));
		FilesProperties properties = new FilesProperties(25, null, Duration.ofDays(7), 0, false, "localhost", 3310, Duration.ofSeconds(1));
		return new FileDownloads(files, store, this.links, mock(AuditTrail.class),
				new FilesSettings(properties, false, true, "https://keel.example/"), this.clock, tenants);
	}

	/** A store holding every key with the same few bytes. */
	static class ContentStore extends StubStore {

		static final byte[] BYTES = "%PDF-1.4 content".getBytes(StandardCharsets.US_ASCII);

		@Override
		public InputStream get(String key) {
			return new java.io.ByteArrayInputStream(BYTES);
		}

		@Override
		public Optional<ObjectInfo> head(String key) {
			return Optional.of(new ObjectInfo(key, BYTES.length, null, null));
		}

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
