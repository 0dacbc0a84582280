package io.retain.gateway.cockpit;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * {@code default-src 'self'} on the pages the gateway serves (cockpit, GraphiQL, their WebJars):
 * nothing is loaded from elsewhere and no inline script runs, so a page that needed a CDN would
 * break in every browser test, not only offline.
 */
@Component
public class ContentSecurityPolicy implements WebFilter, Ordered {

  /** Shared with the tests that check the header. GraphiQL's stylesheet inlines its fonts. */
  public static final String POLICY =
      "default-src 'self'; img-src 'self' data:; font-src 'self' data:; object-src 'none';"
          + " base-uri 'self';"
          + " frame-ancestors 'none'; form-action 'self'";

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
    String path = exchange.getRequest().getPath().value();
    if (path.equals("/cockpit")
        || path.startsWith("/cockpit/")
        || path.startsWith("/graphiql")
        || path.startsWith("/webjars/")) {
      HttpHeaders headers = exchange.getResponse().getHeaders();
      headers.set("Content-Security-Policy", POLICY);
      headers.set("X-Content-Type-Options", "nosniff");
      headers.set("Referrer-Policy", "no-referrer");
    }
    return chain.filter(exchange);
  }
}
