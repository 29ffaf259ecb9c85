/**
 * The {@code ollama} service type: an Ollama server with its model pulled.
 *
 * <table>
 * <caption>Keys of an {@code ollama} service</caption>
 * <tr><th>key</th><th>default</th><th>upstream</th></tr>
 * <tr><td>{@code image}</td><td>{@code ollama/ollama}</td><td>the image ({@code docker run IMAGE})</td></tr>
 * <tr><td>{@code tag}</td><td>{@code 0.12.10}</td><td>the image tag, when {@code image} names none</td></tr>
 * <tr><td>{@code model}</td><td>none: the server alone</td><td>{@code ollama pull MODEL} through
 *     {@code POST /api/pull}; ready once {@code GET /api/tags} lists it</td></tr>
 * <tr><td>{@code cache_dir}</td><td>{@code ~/.cache/cleanroom/ollama}</td><td>{@code -v DIR:/root/.ollama}</td></tr>
 * <tr><td>{@code gpu}, {@code gpu_enabled}, {@code gpus}, {@code gpu_devices}</td><td>{@code "auto"}, all GPUs</td>
 *     <td>{@code docker run --gpus} (see {@link dev.cleanroom.plugins.modelserver})</td></tr>
 * <tr><td>{@code start_timeout}</td><td>{@code 2m}</td><td>until {@code GET /} answers ({@code ollama serve})</td></tr>
 * <tr><td>{@code pull_timeout}</td><td>{@code 30m}</td><td>{@code POST /api/pull}</td></tr>
 * <tr><td>{@code env.NAME}</td><td></td><td>{@code OLLAMA_*} variables of {@code ollama serve}</td></tr>
 * </table>
 *
 * <p>The container runs {@code ollama serve} with port 11434 published on 127.0.0.1. After the server answers,
 * the model is pulled unless {@code GET /api/tags} already lists it (a second run with the same
 * {@code cache_dir} downloads nothing, and needs no network). Progress goes to the log at most every 10 % or 5 s
 * per layer, with bytes. An error from Ollama ({@code {"error":"pull model manifest: file does not exist"}}) fails
 * the start with that message, and everything is removed.
 *
 * <p>Exported to tests: {@code cleanroom.<service>.url} and {@code cleanroom.<service>.model}.
 *
 * <p>Pinned tag {@code 0.12.10}: a published release (Nov 2025) of the 0.12 line; {@code latest} is not used
 * because it has lagged releases by weeks (ollama/ollama #13039) and would make runs differ between machines.
 */
package dev.cleanroom.plugins.ollama;
