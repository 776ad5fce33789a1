package dev.keel.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTests {

	@Test
	void masksJsonFieldsNamingSecrets() {
		String out = Redaction.redact("{\"email\":\"a@b.c\",\"password\":\"hunter2-hunter2\",\"refreshToken\":\"abc.def\",\"clientSecret\":\"s3\"}");
		assertThat(out).contains("\"email\":\"a@b.c\"").doesNotContain("hunter2").doesNotContain("abc.def").doesNotContain("\"s3\"");
		assertThat(out).contains("\"password\":\"[REDACTED]\"");
	}

	@Test
	void masksKeyValuePairsHeadersAndCookies() {
		String out = Redaction.redact("login password=hunter2 token: eyJabc.def.ghi Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x.y cookie=SESSION=abc123 user=bob");
		assertThat(out).doesNotContain("hunter2").doesNotContain("eyJabc").doesNotContain("eyJhbGci").doesNotContain("abc123");
		assertThat(out).contains("user=bob");
	}

	@Test
	void masksBearerAndBasicCredentialsAnywhere() {
		assertThat(Redaction.redact("header was Basic YWRtaW46cGFzc3dvcmQ= ok")).isEqualTo("header was Basic [REDACTED] ok");
	}

	@Test
	void leavesOrdinaryTextAlone() {
		String text = "GET /api/users/42 200 3.1 ms";
		assertThat(Redaction.redact(text)).isEqualTo(text);
	}

	@Test
	void recognisesSensitiveFieldNames() {
		assertThat(Redaction.isSensitiveKey("password")).isTrue();
		assertThat(Redaction.isSensitiveKey("X-Api-Key")).isTrue();
		assertThat(Redaction.isSensitiveKey("jwt_secret")).isTrue();
		assertThat(Redaction.isSensitiveKey("tenantId")).isFalse();
	}

}
