/**
 * What the model-server types ({@code ollama}, {@code vllm}, {@code tgi}) share, written once: the
 * keys they all have ({@link dev.cleanroom.plugins.modelserver.ModelServerType}), the settings read
 * from them ({@link dev.cleanroom.plugins.modelserver.ModelServer}), one run of a server
 * ({@link dev.cleanroom.plugins.modelserver.ModelServerService}: model cache, GPU start with
 * fallback, {@code url}, stop), and the small pieces every one of them needs (image and pinned tag,
 * model cache directory, Hugging Face token, sizes, a little HTTP).
 *
 * <h2>GPU keys (all three types)</h2>
 * <table>
 * <caption>GPU keys</caption>
 * <tr><th>key</th><th>default</th><th>upstream</th><th>meaning</th></tr>
 * <tr><td>{@code gpu}</td><td>{@code "auto"}</td><td>{@code docker run --gpus}</td><td>{@code "auto"}: ask for GPUs;
 *     when the daemon cannot give them, run on CPU where the server can (Ollama, TGI) with a warning, or fail with
 *     the reason where it cannot (vLLM's CUDA image). {@code "on"}: fail when the daemon cannot give them.
 *     {@code "off"}: never ask.</td></tr>
 * <tr><td>{@code gpu_enabled}</td><td></td><td>{@code docker run --gpus}</td><td>the seed format's switch:
 *     {@code true} = {@code "auto"} (a file written on a GPU machine still runs on a laptop), {@code false} =
 *     {@code "off"}; writing it together with {@code gpu} is an error</td></tr>
 * <tr><td>{@code gpus}</td><td>Ollama: all; vLLM, TGI: 1</td><td>{@code --gpus N}: a DeviceRequest with
 *     capabilities {@code [[gpu]]} and Count N</td><td>how many; 0 = off; negative is an error</td></tr>
 * <tr><td>{@code gpu_devices}</td><td></td><td>{@code --gpus '"device=0,1"'}: DeviceIDs</td><td>specific GPUs by
 *     index or UUID</td></tr>
 * </table>
 *
 * <p>{@code gpus} takes a count only: the engine's config schema has no "integer or list" value type, so
 * device ids have their own key, {@code gpu_devices}.
 *
 * <p>The decision is logged, with its reason, e.g.
 * {@code [llm] GPU: auto (default): the Docker daemon cannot provide GPUs (...could not select device driver "" with
 * capabilities: [[gpu]]); starting Ollama on CPU instead. ...}. "auto" tries the GPU request and falls back when
 * the Docker client reports the refusal as {@code GPU_REFUSED}, which also covers hosts that register an
 * {@code nvidia} runtime without having a GPU (testcontainers-java #9287).
 */
package dev.cleanroom.plugins.modelserver;
