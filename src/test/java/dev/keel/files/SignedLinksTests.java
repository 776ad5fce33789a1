package dev.keel.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.keel.MutableClock;
import dev.keel.shared.KeelProblemException;

/** Share-link tokens: bound to one file of one tenant until one instant, and unforgeable. */
class SignedLinksTests {

	private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));

	private final SignedLinks links = new SignedLinks("a-test-secret-of-at-least-32-characters".getBytes(StandardCharsets.UTF_8), this.clock);

	private final UUID tenant = UUID.randomUUID();

	private final UUID file = UUID.randomUUID();

	@Test
	void aLinkIsValidUntilItsExpiryAndNotAfter() {
		Instant expires = this.clock.instant().plus(Duration.ofHours(1));
		String token = this.links.sign(this.tenant, this.file, expires);
		assertThat(token).matches("[A-Za-z0-9_-]+");
		assertThat(this.links.verify(token)).isEqualTo(new SignedLinks.Link(this.tenant, this.file, expires));
		this.clock.advance(Duration.ofMinutes(59));
		assertThat(this.links.verify(token).fileId()).isEqualTo(this.file);
		this.clock.advance(Duration.ofMinutes(1));
		assertThatThrownBy(() -> this.links.verify(token)).isInstanceOf(KeelProblemException.class).hasMessageContaining("expired");
	}

	@Test
	void changingAnyByteOrTheKeyBreaksTheLink() {
		String token = this.links.sign(this.tenant, this.file, this.clock.instant().plusSeconds(60));
		byte[] raw = Base64.getUrlDecoder().decode(token);
		for (int i = 0; i < raw.length; i++) {
			byte[] changed = raw.clone();
			changed[i] ^= 0x01;
			String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(changed);
			assertThatThrownBy(() -> this.links.verify(tampered)).as("byte " + i).isInstanceOf(KeelProblemException.class)
				.satisfies((ex) -> assertThat(((KeelProblemException) ex).type()).isEqualTo(FileProblems.SIGNED_URL_INVALID));
		}
		SignedLinks otherKey = new SignedLinks("another-secret-of-at-least-32-characters".getBytes(StandardCharsets.UTF_8), this.clock);
		assertThatThrownBy(() -> otherKey.verify(token)).isInstanceOf(KeelProblemException.class);
		assertThatThrownBy(() -> this.links.verify(token.substring(1))).isInstanceOf(KeelProblemException.class);
		assertThatThrownBy(() -> this.links.verify("%%%")).isInstanceOf(KeelProblemException.class);
	}

}
