package dev.keel.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.keel.audit.AuditTrail;
import dev.keel.jobs.Job;
import dev.keel.storage.FilesystemObjectStore;
import dev.keel.storage.ObjectInfo;
import dev.keel.storage.ObjectStore;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code file-process} job racing a delete: a file deleted while its image is being optimised
 * must not get its objects back when the job writes its results afterwards.
 */
class FileProcessingTests {

	@TempDir
	Path dir;

	private final UUID tenant = UUID.randomUUID();

	private final UUID id = UUID.randomUUID();

	private final String folder = "tenants/" + this.tenant + "/images/" + this.id;

	private final String key = this.folder + "/photo.png";

	private final FileRepository repository = mock(FileRepository.class);

	@Test
	void aFileDeletedWhileItsImageIsProcessedLeavesNoObjectsBehind() throws Exception {
		ObjectStore store = storeWithOriginal();
		AtomicBoolean deleted = new AtomicBoolean();
		when(this.repository.lock(this.id)).thenAnswer((i) -> deleted.get() ? Optional.empty() : Optional.of(row("processing")));
		// FileStore.delete commits (row gone) and empties the folder while the optimiser is still running.
		process(store, () -> {
			deleted.set(true);
			store.deleteAll(this.folder + "/");
		});
		assertThat(objects(store)).as("neither the optimised image nor the thumbnail is re-created").isEmpty();
		verify(this.repository, never()).markStored(any(), anyString(), anyString(), anyLong(), anyString(), any(), anyLong());
	}

	@Test
	void aFileStillProcessingKeepsTheOptimisedImageAndItsThumbnail() throws Exception {
		ObjectStore store = storeWithOriginal();
		when(this.repository.lock(this.id)).thenReturn(Optional.of(row("processing")));
		when(this.repository.markStored(eq(this.id), anyString(), anyString(), anyLong(), anyString(), any(), anyLong())).thenReturn(row("stored"));
		process(store, () -> {
		});
		assertThat(objects(store)).containsExactlyInAnyOrder(this.key, this.folder + "/thumb/photo.png");
	}

	interface During {

		void run() throws IOException;

	}

	private void process(ObjectStore store, During duringOptimisation) throws Exception {
		when(this.repository.byId(this.id)).thenReturn(Optional.of(row("processing")));
		ImageOptimizer optimizer = (source, type, work) -> {
			duringOptimisation.run();
			Path image = Files.write(work.resolve("image.png"), TestFiles.png(4, 4));
			Path thumb = Files.write(work.resolve("thumb.png"), TestFiles.png(2, 2));
			return new ImageOptimizer.Result(image, "image/png", thumb, "image/png", 4, 4);
		};
		FileProcessing processing = new FileProcessing(this.repository, store, optimizer, new TransactionTemplate(new NoTransactions()),
				mock(AuditTrail.class), new FileMetrics(new SimpleMeterRegistry()), mock(ApplicationEventPublisher.class));
		processing.handle(new Job(1, FileStore.PROCESS_JOB, "default", "{\"fileId\":\"" + this.id + "\"}", this.tenant, null, 1,
				Instant.now()));
	}

	private ObjectStore storeWithOriginal() throws IOException {
		ObjectStore store = new FilesystemObjectStore(this.dir.resolve("objects"));
		store.put(this.key, new ByteArrayInputStream(TestFiles.png(8, 8)), "image/png");
		return store;
	}

	private List<String> objects(ObjectStore store) throws IOException {
		try (var list = store.list("tenants/" + this.tenant + "/")) {
			return list.map(ObjectInfo::key).toList();
		}
	}

	private FileRepository.FileRow row(String status) {
		Instant now = Instant.now();
		return new FileRepository.FileRow(this.tenant, this.id, null, "photo.png", "photo.png", "image/png", 100, "x", "images", status,
				this.key, null, 0, null, now, now, null);
	}

	/** Runs the callbacks without a database: the repository is a mock. */
	static final class NoTransactions extends AbstractPlatformTransactionManager {

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
		}

	}

}
