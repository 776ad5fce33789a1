package dev.keel.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Behaviour every {@link ObjectStore} must show; each backend's test class implements {@link #store()}. */
abstract class ObjectStoreContract {

	abstract ObjectStore store();

	@Test
	void putStreamsContentOfUnknownLengthAndReportsSizeAndChecksum() throws IOException {
		byte[] data = new byte[3 * 1024 * 1024 + 17];
		new Random(7).nextBytes(data);
		StoredObject stored = store().put("contract/big.bin", new ByteArrayInputStream(data), "application/octet-stream");
		assertThat(stored.sizeBytes()).isEqualTo(data.length);
		assertThat(stored.sha256()).isEqualTo(Digests.hex(Digests.sha256().digest(data)));
		try (InputStream in = store().get("contract/big.bin")) {
			assertThat(in.readAllBytes()).isEqualTo(data);
		}
		assertThat(store().head("contract/big.bin")).hasValueSatisfying((i) -> assertThat(i.sizeBytes()).isEqualTo(data.length));
	}

	@Test
	void emptyObjectsAreObjects() throws IOException {
		StoredObject stored = store().put("contract/empty", InputStream.nullInputStream(), "text/plain");
		assertThat(stored.sizeBytes()).isZero();
		assertThat(stored.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
		assertThat(store().head("contract/empty")).isPresent();
	}

	@Test
	void putReplacesAndDeleteRemoves() throws IOException {
		store().put("contract/replace.txt", text("one"), "text/plain");
		store().put("contract/replace.txt", text("two"), "text/plain");
		try (InputStream in = store().get("contract/replace.txt")) {
			assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("two");
		}
		store().delete("contract/replace.txt");
		assertThat(store().head("contract/replace.txt")).isEmpty();
		assertThatThrownBy(() -> store().get("contract/replace.txt").close()).isInstanceOf(ObjectNotFoundException.class);
	}

	@Test
	void listsByPrefixInKeyOrder() throws IOException {
		store().put("contract/list/b/2.txt", text("2"), "text/plain");
		store().put("contract/list/a/1.txt", text("1"), "text/plain");
		store().put("contract/list/a/3.txt", text("3"), "text/plain");
		store().put("contract/listing-not-me.txt", text("x"), "text/plain");
		try (Stream<ObjectInfo> s = store().list("contract/list/")) {
			assertThat(s.map(ObjectInfo::key).toList()).containsExactly("contract/list/a/1.txt", "contract/list/a/3.txt", "contract/list/b/2.txt");
		}
		try (Stream<ObjectInfo> s = store().list("contract/list/a/")) {
			assertThat(s.map(ObjectInfo::sizeBytes).toList()).isEqualTo(List.of(1L, 1L));
		}
		store().put("contract/list/a.txt", text("4"), "text/plain");
		try (Stream<ObjectInfo> s = store().list("contract/list/a")) {
			assertThat(s.map(ObjectInfo::key).toList()).as("byte order of whole keys, as S3 lists")
				.containsExactly("contract/list/a.txt", "contract/list/a/1.txt", "contract/list/a/3.txt");
		}
		assertThat(store().deleteAll("contract/list/")).isEqualTo(4);
		try (Stream<ObjectInfo> s = store().list("contract/list/")) {
			assertThat(s).isEmpty();
		}
	}

	@Test
	void rejectsKeysOutsideTheGrammarBeforeTouchingTheBackend() {
		for (String bad : List.of("../etc/passwd", "a/../../b", "/abs", "a//b", "a\\b", "a/.hidden", "a/b\u0000c", "", "a/b/", "tenants/ü")) {
			assertThatThrownBy(() -> store().put(bad, text("x"), "text/plain")).as(bad).isInstanceOf(InvalidStorageKeyException.class);
			assertThatThrownBy(() -> store().get(bad)).as(bad).isInstanceOf(InvalidStorageKeyException.class);
			assertThatThrownBy(() -> store().delete(bad)).as(bad).isInstanceOf(InvalidStorageKeyException.class);
		}
		assertThatThrownBy(() -> store().list("../")).isInstanceOf(InvalidStorageKeyException.class);
	}

	static InputStream text(String s) {
		return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
	}

}
