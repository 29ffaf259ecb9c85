/**
 * The {@code vllm} service type: a vLLM OpenAI-compatible server.
 *
 * <table>
 * <caption>Keys of a {@code vllm} service</caption>
 * <tr><th>key</th><th>default</th><th>upstream</th></tr>
 * <tr><td>{@code image}</td><td>{@code vllm/vllm-openai}</td><td>the image</td></tr>
 * <tr><td>{@code tag}</td><td>{@code v0.10.2}</td><td>the image tag, when {@code image} names none</td></tr>
 * <tr><td>{@code model}</td><td>required</td><td>{@code --model} (always passed)</td></tr>
 * <tr><td>{@code served_model_name}</td><td>the model id</td><td>{@code --served-model-name}</td></tr>
 * <tr><td>{@code tensor_parallel_size}</td><td>the GPU count when more than 1</td><td>{@code --tensor-parallel-size}</td></tr>
 * <tr><td>{@code gpu_memory_utilization}</td><td>vLLM's (0.9)</td><td>{@code --gpu-memory-utilization}</td></tr>
 * <tr><td>{@code max_model_len}</td><td>the model's</td><td>{@code --max-model-len}</td></tr>
 * <tr><td>{@code quantization}</td><td>none</td><td>{@code --quantization} (checked against v0.10.2's choices)</td></tr>
 * <tr><td>{@code dtype}</td><td>vLLM's ({@code auto})</td><td>{@code --dtype}</td></tr>
 * <tr><td>{@code args}</td><td></td><td>more flags, passed after the others as written</td></tr>
 * <tr><td>{@code hf_token} (secret)</td><td>{@code -Dcleanroom.hf_token}, else env {@code HF_TOKEN}</td><td>env {@code HF_TOKEN}</td></tr>
 * <tr><td>{@code shm_size}</td><td>{@code 8g}</td><td>{@code docker run --shm-size}</td></tr>
 * <tr><td>{@code cache_dir}</td><td>{@code ~/.cache/cleanroom/vllm}</td><td>{@code -v DIR:/root/.cache/huggingface}</td></tr>
 * <tr><td>{@code gpu}, {@code gpu_enabled}, {@code gpus}, {@code gpu_devices}</td><td>{@code "auto"}, 1 GPU</td>
 *     <td>{@code docker run --gpus} (see {@link dev.cleanroom.plugins.modelserver})</td></tr>
 * <tr><td>{@code start_timeout}</td><td>{@code 20m}</td><td>until {@code /health} and {@code /v1/models} answer</td></tr>
 * <tr><td>{@code env.NAME}</td><td></td><td>environment, e.g. {@code VLLM_*}</td></tr>
 * </table>
 *
 * <p>Ready when {@code GET /health} answers and {@code GET /v1/models} lists the served name. vLLM downloads the
 * model before it listens, so the engine's "Still waiting" lines every 10 s are the progress. The upstream image
 * runs on CUDA only: {@code gpu = "auto"} on a daemon without GPUs fails with the reason.
 *
 * <p>Exported to tests: {@code cleanroom.<service>.url}, {@code cleanroom.<service>.openai_base_url}
 * ({@code url + "/v1"}) and {@code cleanroom.<service>.model}.
 *
 * <p>Pinned tag {@code v0.10.2}: a published release (Sep 2025) built on CUDA 12; later lines moved to newer CUDA
 * builds that need newer host drivers. Override with {@code tag}.
 */
package dev.cleanroom.plugins.vllm;
