package dev.keel.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.keel.storage.ObjectStore;
import dev.keel.storage.StoredObject;

/**
 * Connects a producer that writes a backup to {@link ObjectStore#put}, which reads: the producer runs
 * on a virtual thread and hands chunks over a bounded queue (at most {@code 8 x 256 KiB} in flight), so
 * memory stays flat however large the database. A producer failure reaches the reader as an
 * {@link IOException}, so the store never commits a truncated object (puts are atomic); a failed put
 * stops the producer.
 */
final class StreamingUpload {

	private static final int CHUNK = 256 * 1024;

	private static final byte[] END = new byte[0];

	private StreamingUpload() {
	}

	@FunctionalInterface
	interface Producer {

		void writeTo(OutputStream out) throws Exception;

	}

	static StoredObject upload(ObjectStore store, String key, String contentType, Producer producer) throws Exception {
		Pipe pipe = new Pipe();
		Thread writer = Thread.ofVirtual().name("backup-writer").start(() -> {
			try (OutputStream out = pipe.output()) {
				producer.writeTo(out);
			}
			catch (Throwable ex) {
				pipe.fail(ex);
			}
		});
		try {
			StoredObject stored = store.put(key, pipe.input(), contentType);
			writer.join();
			if (pipe.failure != null) {
				// The producer failed after its last byte was read; the object must not stand.
				store.delete(key);
				throw rethrow(pipe.failure);
			}
			return stored;
		}
		catch (Exception ex) {
			pipe.readerFailed = true;
			writer.interrupt();
			writer.join();
			throw (pipe.failure != null) ? rethrow(pipe.failure) : ex;
		}
	}

	private static Exception rethrow(Throwable t) {
		return (t instanceof Exception e) ? e : new IllegalStateException(t);
	}

	private static final class Pipe {

		private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(8);

		private volatile Throwable failure;

		private volatile boolean readerFailed;

		void fail(Throwable ex) {
			this.failure = ex;
			this.chunks.offer(END);
		}

		OutputStream output() {
			return new OutputStream() {
				private byte[] buffer = new byte[CHUNK];

				private int used;

				private boolean closed;

				@Override
				public void write(int b) throws IOException {
					write(new byte[] { (byte) b }, 0, 1);
				}

				@Override
				public void write(byte[] b, int off, int len) throws IOException {
					while (len > 0) {
						int n = Math.min(len, CHUNK - this.used);
						System.arraycopy(b, off, this.buffer, this.used, n);
						this.used += n;
						off += n;
						len -= n;
						if (this.used == CHUNK) {
							hand(this.buffer);
							this.buffer = new byte[CHUNK];
							this.used = 0;
						}
					}
				}

				@Override
				public void close() throws IOException {
					if (!this.closed) {
						this.closed = true;
						if (this.used > 0) {
							hand(Arrays.copyOf(this.buffer, this.used));
						}
						hand(END);
					}
				}
			};
		}

		private void hand(byte[] chunk) throws IOException {
			try {
				while (!this.chunks.offer(chunk, 1, TimeUnit.SECONDS)) {
					if (this.readerFailed) {
						throw new IOException("the upload stopped reading");
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("interrupted while writing the backup", ex);
			}
		}

		InputStream input() {
			return new InputStream() {
				private byte[] current;

				private int pos;

				private boolean done;

				@Override
				public int read() throws IOException {
					byte[] one = new byte[1];
					return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
				}

				@Override
				public int read(byte[] b, int off, int len) throws IOException {
					if (len == 0) {
						return 0;
					}
					while (!this.done && (this.current == null || this.pos == this.current.length)) {
						try {
							this.current = Pipe.this.chunks.poll(1, TimeUnit.SECONDS);
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
							throw new IOException("interrupted while reading the backup", ex);
						}
						if (this.current == null) {
							if (Pipe.this.failure != null) {
								throw new IOException("the backup writer failed: " + Pipe.this.failure.getMessage(), Pipe.this.failure);
							}
							continue;
						}
						this.pos = 0;
						if (this.current == END) {
							this.done = true;
						}
					}
					if (Pipe.this.failure != null) {
						throw new IOException("the backup writer failed: " + Pipe.this.failure.getMessage(), Pipe.this.failure);
					}
					if (this.done) {
						return -1;
					}
					int n = Math.min(len, this.current.length - this.pos);
					System.arraycopy(this.current, this.pos, b, off, n);
					this.pos += n;
					return n;
				}
			};
		}

	}

}
