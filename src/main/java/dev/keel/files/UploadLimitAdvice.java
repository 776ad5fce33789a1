package dev.keel.files;

import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.MDC;

import dev.keel.observability.LogContext;
import dev.keel.shared.KeelProblemException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;

/**
 * The container refuses an upload past {@code MAX_UPLOAD_SIZE_MB} while it streams it to disk, before
 * any controller runs; this answers that like every other upload rule: 413 {@code upload-too-large}
 * naming the rule {@code max-size}, counted and audited. (Only uploads are multipart in Keel.)
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class UploadLimitAdvice {

	private final FileStore files;

	UploadLimitAdvice(FileStore files) {
		this.files = files;
	}

	@ExceptionHandler(MaxUploadSizeExceededException.class)
	ResponseEntity<ProblemDetail> tooLarge(MaxUploadSizeExceededException ex, HttpServletRequest request) {
		KeelProblemException problem = this.files.tooLargeWhileStreaming();
		ProblemDetail pd = ProblemDetail.forStatusAndDetail(problem.type().status(), problem.getMessage());
		pd.setType(problem.type().uri());
		pd.setTitle(problem.type().title());
		pd.setInstance(URI.create(request.getRequestURI()));
		pd.setProperty("errors", problem.errors());
		String correlationId = MDC.get(LogContext.CORRELATION_ID);
		if (correlationId != null) {
			pd.setProperty("correlationId", correlationId);
		}
		return ResponseEntity.status(pd.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).cacheControl(
				org.springframework.http.CacheControl.noStore()).body(pd);
	}

}
