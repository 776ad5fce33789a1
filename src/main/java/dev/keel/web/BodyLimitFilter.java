package dev.keel.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import dev.keel.shared.ProblemType;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code BODY_LIMIT} for every request but multipart uploads (which have {@code MAX_UPLOAD_SIZE_MB}):
 * a declared {@code Content-Length} above the limit is refused with 413 before anything reads it; a
 * chunked body is counted while it is read and fails with {@link TooLarge}, which the problem handler
 * turns into 413 as well.
 */
class BodyLimitFilter extends OncePerRequestFilter {

	private final long limit;

	BodyLimitFilter(long limit) {
		this.limit = limit;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String type = request.getContentType();
		return type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > this.limit) {
			Problems.write(response, request, ProblemType.PAYLOAD_TOO_LARGE,
					"The request body is larger than the limit of " + this.limit + " bytes");
			return;
		}
		chain.doFilter(new Limited(request, this.limit), response);
	}

	/** Raised while reading a body that grows past the limit. */
	static final class TooLarge extends IOException {

		TooLarge(long limit) {
			super("request body exceeds " + limit + " bytes");
		}

	}

	private static final class Limited extends HttpServletRequestWrapper {

		private final long limit;

		private ServletInputStream stream;

		Limited(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				ServletInputStream in = super.getInputStream();
				this.stream = new ServletInputStream() {

					private long count;

					@Override
					public int read() throws IOException {
						int b = in.read();
						if (b >= 0) {
							count(1);
						}
						return b;
					}

					@Override
					public int read(byte[] b, int off, int len) throws IOException {
						int n = in.read(b, off, len);
						if (n > 0) {
							count(n);
						}
						return n;
					}

					private void count(int n) throws TooLarge {
						this.count += n;
						if (this.count > Limited.this.limit) {
							throw new TooLarge(Limited.this.limit);
						}
					}

					@Override
					public boolean isFinished() {
						return in.isFinished();
					}

					@Override
					public boolean isReady() {
						return in.isReady();
					}

					@Override
					public void setReadListener(ReadListener listener) {
						in.setReadListener(listener);
					}

				};
			}
			return this.stream;
		}

	}

}
