package io.retain.gateway.cockpit;

import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The cockpit's entry points. Its modules, styles and {@code .graphql} documents are Spring's
 * static resources ({@code classpath:/static/cockpit/}); the browser libraries are WebJars at
 * {@code /webjars/**}. Both come from the jar, so the console works with no network beyond the
 * gateway.
 */
@Configuration
public class CockpitRoutes {

  @Bean
  RouterFunction<ServerResponse> cockpitPages() {
    ClassPathResource index = new ClassPathResource("static/cockpit/index.html");
    return RouterFunctions.route()
        // relative module URLs in index.html resolve against /cockpit/, not /
        .GET("/cockpit", req -> ServerResponse.permanentRedirect(URI.create("/cockpit/")).build())
        .GET(
            "/cockpit/",
            req -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(index))
        .build();
  }
}
