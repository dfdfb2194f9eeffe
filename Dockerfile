# TechMart Analytics on the official Deno image.
FROM denoland/deno:2.9.6

WORKDIR /app
ENV DENO_DIR=/deno-dir

# Dependencies first, in their own layer: they change less often than the code
COPY deno.json deno.lock ./
RUN deno install --frozen

COPY . .
# Type-check and cache the entry graph, and build the island bundles into the image
RUN deno cache main.ts && deno task build && chown -R deno:deno /app /deno-dir

USER deno
ENV HOST=0.0.0.0 PORT=8000 DATA_DIR=/app/.data
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD deno eval "const r = await fetch('http://127.0.0.1:8000/health'); Deno.exit(r.ok ? 0 : 1)"
CMD ["task", "start"]
