package dev.keel.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.keel.KeelTest;
import dev.keel.jobs.JobQueue;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The hourly {@code storage-part-sweep} job removes part files that a dead process left behind. */
@KeelTest
class StoragePartSweepTests {

	@Autowired
	ObjectStore store;

	@Autowired
	JobQueue queue;

	@Test
	void theScheduledJobRemovesOldPartFilesAndKeepsFreshOnesAndObjects() throws Exception {
		Path root = ((FilesystemObjectStore) this.store).root();
		Path dir = Files.createDirectories(root.resolve("sweep-" + System.nanoTime()));
		Path old = Files.writeString(dir.resolve(".a.bin.1.part"), "half");
		Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - Duration.ofHours(2).toMillis()));
		Path fresh = Files.writeString(dir.resolve(".b.bin.2.part"), "writing");
		Path object = Files.writeString(dir.resolve("c.bin"), "whole");
		this.queue.enqueue(StorageConfiguration.PART_SWEEP_JOB, null);
		await().atMost(Duration.ofSeconds(20)).until(() -> !Files.exists(old));
		assertThat(fresh).exists();
		assertThat(object).exists();
	}

}
