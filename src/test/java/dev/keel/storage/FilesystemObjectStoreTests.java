package dev.keel.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilesystemObjectStoreTests extends ObjectStoreContract {

	@TempDir
	Path dir;

	FilesystemObjectStore store;

	@BeforeEach
	void open() throws IOException {
		this.store = new FilesystemObjectStore(this.dir.resolve("root"));
	}

	@Override
	ObjectStore store() {
		return this.store;
	}

	@Test
	void failedPutLeavesNoObjectAndNoPartFile() throws IOException {
		InputStream failing = new InputStream() {
			int n;

			@Override
			public int read() throws IOException {
				if (this.n++ > 1000) {
					throw new IOException("client went away");
				}
				return 'x';
			}
		};
		assertThatThrownBy(() -> this.store.put("a/b.bin", failing, null)).hasMessage("client went away");
		assertThat(this.store.head("a/b.bin")).isEmpty();
		try (Stream<Path> files = Files.walk(this.store.root())) {
			assertThat(files.filter(Files::isRegularFile)).isEmpty();
		}
	}

	@Test
	void partFilesOfDeadProcessesAreNotObjectsAndAreSwept() throws IOException {
		Path part = Files.createDirectories(this.store.root().resolve("backups")).resolve(".x.bin.123.part");
		Files.writeString(part, "half");
		Files.setLastModifiedTime(part, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
		try (Stream<ObjectInfo> s = this.store.list("")) {
			assertThat(s).isEmpty();
		}
		assertThat(this.store.sweepPartFiles(Duration.ofHours(1))).isEqualTo(1);
		assertThat(part).doesNotExist();
	}

	@Test
	void symlinkedOrNormalisedEscapesAreRejected() {
		assertThatThrownBy(() -> this.store.resolve("a/./b")).isInstanceOf(InvalidStorageKeyException.class);
		assertThatThrownBy(() -> this.store.resolve("..")).isInstanceOf(InvalidStorageKeyException.class);
	}

	@Test
	void deletePrunesEmptyDirectories() throws IOException {
		this.store.put("tenants/1/docs/9/a.pdf", text("%PDF"), "application/pdf");
		this.store.delete("tenants/1/docs/9/a.pdf");
		assertThat(this.store.root().resolve("tenants")).doesNotExist();
		assertThat(this.store.presign("tenants/1/docs/9/a.pdf", Duration.ofMinutes(5), "a.pdf")).isEmpty();
	}

}
