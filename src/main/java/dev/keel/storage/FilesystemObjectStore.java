package dev.keel.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Objects as files under one root directory. A put writes a hidden {@code .*.part} file next to the
 * target, forces it to disk and renames it atomically, so readers never see a partial object and a
 * crash leaves only a hidden part file, which is not an object ({@link #list} skips it and
 * {@link #sweepPartFiles} removes old ones).
 */
public final class FilesystemObjectStore implements ObjectStore {

	private final Path root;

	public FilesystemObjectStore(Path root) throws IOException {
		this.root = root.toAbsolutePath().normalize();
		Files.createDirectories(this.root);
	}

	public Path root() {
		return this.root;
	}

	@Override
	public String backend() {
		return "filesystem";
	}

	@Override
	public StoredObject put(String key, InputStream content, String contentType) throws IOException {
		Path target = resolve(key);
		Files.createDirectories(target.getParent());
		Path part = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".part");
		MessageDigest sha = Digests.sha256();
		long size;
		try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
				OutputStream out = new DigestOutputStream(Channels.newOutputStream(channel), sha)) {
			size = content.transferTo(out);
			out.flush();
			channel.force(true);
		}
		catch (IOException | RuntimeException ex) {
			Files.deleteIfExists(part);
			throw ex;
		}
		try {
			Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
		}
		return new StoredObject(key, size, Digests.hex(sha.digest()));
	}

	@Override
	public InputStream get(String key) throws IOException {
		try {
			return Files.newInputStream(resolve(key));
		}
		catch (NoSuchFileException ex) {
			throw new ObjectNotFoundException(key);
		}
	}

	@Override
	public Optional<ObjectInfo> head(String key) throws IOException {
		Path file = resolve(key);
		try {
			BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
			return attrs.isRegularFile() ? Optional.of(new ObjectInfo(key, attrs.size(), attrs.lastModifiedTime().toInstant(), null)) : Optional.empty();
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
	}

	@Override
	public boolean delete(String key) throws IOException {
		Path file = resolve(key);
		boolean existed = Files.deleteIfExists(file);
		pruneEmptyParents(file.getParent());
		return existed;
	}

	/**
	 * Walks depth-first with each directory's entries sorted as S3 sorts keys (a directory sorts as its
	 * name plus {@code /}), so only the directories on the current path are held in memory.
	 */
	@Override
	public Stream<ObjectInfo> list(String prefix) throws IOException {
		StorageKeys.requirePrefix(prefix);
		int slash = prefix.lastIndexOf('/');
		Path dir = (slash < 0) ? this.root : resolve(prefix.substring(0, slash));
		if (!Files.isDirectory(dir)) {
			return Stream.empty();
		}
		java.util.Deque<java.util.Iterator<Path>> stack = new java.util.ArrayDeque<>();
		stack.push(sortedChildren(dir).iterator());
		java.util.Iterator<ObjectInfo> objects = new java.util.Iterator<>() {
			private ObjectInfo next;

			@Override
			public boolean hasNext() {
				while (this.next == null && !stack.isEmpty()) {
					if (!stack.peek().hasNext()) {
						stack.pop();
						continue;
					}
					Path p = stack.peek().next();
					String key = keyOf(p);
					if (key == null) {
						continue;
					}
					try {
						BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
						if (a.isDirectory() && (key + "/").regionMatches(0, prefix, 0, Math.min(prefix.length(), key.length() + 1))) {
							stack.push(sortedChildren(p).iterator());
						}
						else if (a.isRegularFile() && key.startsWith(prefix)) {
							this.next = new ObjectInfo(key, a.size(), a.lastModifiedTime().toInstant(), null);
						}
					}
					catch (IOException ex) {
						// deleted while listing: not an object any more
					}
				}
				return this.next != null;
			}

			@Override
			public ObjectInfo next() {
				if (!hasNext()) {
					throw new java.util.NoSuchElementException();
				}
				ObjectInfo o = this.next;
				this.next = null;
				return o;
			}
		};
		return java.util.stream.StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(objects, java.util.Spliterator.ORDERED), false);
	}

	private static List<Path> sortedChildren(Path dir) {
		List<Path> children = new ArrayList<>();
		try (Stream<Path> s = Files.list(dir)) {
			s.forEach(children::add);
		}
		catch (IOException ex) {
			return List.of(); // removed while listing
		}
		children.sort(java.util.Comparator.comparing((Path p) -> p.getFileName().toString() + (Files.isDirectory(p) ? "/" : "")));
		return children;
	}

	@Override
	public Optional<URI> presign(String key, Duration ttl, String downloadFileName) {
		StorageKeys.requireKey(key);
		return Optional.empty();
	}

	/** Removes part files of puts that never finished (their process died) older than {@code age}. */
	public int sweepPartFiles(Duration age) throws IOException {
		long cutoff = System.currentTimeMillis() - age.toMillis();
		int[] removed = { 0 };
		try (Stream<Path> walk = Files.walk(this.root)) {
			walk.filter((p) -> p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(".part"))
				.forEach((p) -> {
					try {
						if (Files.getLastModifiedTime(p).toMillis() < cutoff && Files.deleteIfExists(p)) {
							removed[0]++;
						}
					}
					catch (IOException ex) {
						// gone already
					}
				});
		}
		return removed[0];
	}

	/** The file of a key; the normalised path must stay under the root (defence in depth). */
	Path resolve(String key) {
		StorageKeys.requireKey(key);
		Path p = this.root.resolve(key).normalize();
		if (!p.startsWith(this.root) || p.equals(this.root)) {
			throw new InvalidStorageKeyException("storage key escapes the storage root");
		}
		return p;
	}

	private String keyOf(Path p) {
		if (p.equals(this.root)) {
			return null;
		}
		String key = this.root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
		try {
			return StorageKeys.requireKey(key);
		}
		catch (InvalidStorageKeyException ex) {
			return null; // part files and anything not written through this store
		}
	}

	private void pruneEmptyParents(Path dir) throws IOException {
		while (dir != null && dir.startsWith(this.root) && !dir.equals(this.root)) {
			try {
				Files.delete(dir);
			}
			catch (DirectoryNotEmptyException | NoSuchFileException ex) {
				return;
			}
			dir = dir.getParent();
		}
	}

}
