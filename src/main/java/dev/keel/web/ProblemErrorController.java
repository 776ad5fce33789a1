package dev.keel.web;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.keel.shared.ProblemType;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The container's error page ({@code /error}): errors raised outside Spring MVC (in filters, by the
 * servlet container) also leave as problem+json, never as an HTML page or a stack trace.
 */
@Controller
class ProblemErrorController implements ErrorController {

	@RequestMapping("/error")
	void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		int status = (code instanceof Integer i) ? i : 500;
		ProblemType type = switch (status) {
			case 400 -> ProblemType.MALFORMED_REQUEST;
			case 401 -> ProblemType.UNAUTHORIZED;
			case 403 -> ProblemType.FORBIDDEN;
			case 404 -> ProblemType.NOT_FOUND;
			case 405 -> ProblemType.METHOD_NOT_ALLOWED;
			case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
			case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
			case 503 -> ProblemType.SERVICE_UNAVAILABLE;
			default -> ProblemType.INTERNAL_ERROR;
		};
		HttpStatus httpStatus = HttpStatus.resolve(status);
		String detail = (type == ProblemType.INTERNAL_ERROR)
				? "An unexpected error occurred; quote the correlation id when reporting it."
				: (httpStatus != null) ? httpStatus.getReasonPhrase() : "Error";
		Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		Problems.write(response, new PathOverride(request, (uri != null) ? uri.toString() : request.getRequestURI()),
				(type == ProblemType.INTERNAL_ERROR && status != 500) ? type : type, detail);
		if (type == ProblemType.INTERNAL_ERROR && status != 500) {
			response.setStatus(status);
		}
	}

	/** Reports the original path, not {@code /error}, as the problem's instance. */
	private static final class PathOverride extends jakarta.servlet.http.HttpServletRequestWrapper {

		private final String path;

		PathOverride(HttpServletRequest request, String path) {
			super(request);
			this.path = path;
		}

		@Override
		public String getRequestURI() {
			return this.path;
		}

	}

}
