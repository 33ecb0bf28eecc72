# The worker image: the same worker.py as the embedded stack, configured by environment variables.
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY orchestra ./orchestra
COPY workflows ./workflows
COPY activities ./activities
COPY worker.py client.py ./
# bubblewrap: the OS sandbox of tool processes, where the container runtime allows user namespaces
# (otherwise process tools are refused; docs/security.md).
RUN apt-get update && apt-get install -y --no-install-recommends bubblewrap && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir '.[s3]' && useradd --create-home orchestra && mkdir -p /data/workspace && chown -R orchestra /data
USER orchestra
ENV ORCHESTRA_DATA_DIR=/data ORCHESTRA_WORKSPACE=/data/workspace ORCHESTRA_LOG_FORMAT=json
# Prometheus /metrics when ORCHESTRA_METRICS_ADDRESS=0.0.0.0:9464 (set by docker-compose.yml).
EXPOSE 9464
# SIGTERM lets running activities finish within the grace period before the worker leaves.
STOPSIGNAL SIGTERM
CMD ["python", "worker.py"]
