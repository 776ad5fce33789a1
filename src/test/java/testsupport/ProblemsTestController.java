package testsupport;

import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Endpoints that fail on purpose, imported only by the tests that need them (outside {@code dev.keel},
 * so component scanning of other test contexts never sees them).
 */
@RestController
public class ProblemsTestController {

	/** Counted down when a slow request has started executing (tests of graceful shutdown wait for it). */
	public static volatile java.util.concurrent.CountDownLatch slowStarted = new java.util.concurrent.CountDownLatch(1);

	@PostMapping(path = "/test-problems/echo", consumes = "application/json")
	Map<String, String> echo(@Valid @RequestBody Payload payload) {
		return Map.of("name", payload.name());
	}

	@GetMapping("/test-problems/echo-get")
	Map<String, String> echoGet() {
		return Map.of();
	}

	@GetMapping("/test-problems/boom")
	Map<String, String> boom() {
		throw new IllegalStateException("kaboom internal detail");
	}

	@GetMapping("/test-problems/slow")
	Map<String, String> slow(@org.springframework.web.bind.annotation.RequestParam(defaultValue = "3000") long millis)
			throws InterruptedException {
		slowStarted.countDown();
		Thread.sleep(millis);
		return Map.of("slept", Long.toString(millis));
	}

	public record Payload(@NotBlank String name, @Size(max = 3) String code) {
	}

}
