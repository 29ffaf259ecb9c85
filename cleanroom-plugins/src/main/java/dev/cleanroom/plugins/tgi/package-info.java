/**
 * The {@code tgi} service type: Hugging Face Text Generation Inference.
 *
 * <table>
 * <caption>Keys of a {@code tgi} service</caption>
 * <tr><th>key</th><th>default</th><th>upstream</th></tr>
 * <tr><td>{@code image}</td><td>{@code ghcr.io/huggingface/text-generation-inference}</td><td>the image</td></tr>
 * <tr><td>{@code tag}</td><td>{@code 3.3.5}</td><td>the image tag, when {@code image} names none</td></tr>
 * <tr><td>{@code model}</td><td>required</td><td>{@code --model-id}</td></tr>
 * <tr><td>{@code revision}</td><td>{@code main}</td><td>{@code --revision}</td></tr>
 * <tr><td>{@code quantize}</td><td>none</td><td>{@code --quantize}: awq, compressed-tensors, eetq, exl2, gptq,
 *     marlin, bitsandbytes, bitsandbytes-nf4, bitsandbytes-fp4, fp8</td></tr>
 * <tr><td>{@code num_shard}</td><td>the GPU count when more than 1</td><td>{@code --num-shard}</td></tr>
 * <tr><td>{@code dtype}</td><td>TGI's</td><td>{@code --dtype}: float16, bfloat16</td></tr>
 * <tr><td>{@code max_input_tokens}</td><td>TGI's</td><td>{@code --max-input-tokens}</td></tr>
 * <tr><td>{@code max_total_tokens}</td><td>TGI's</td><td>{@code --max-total-tokens}</td></tr>
 * <tr><td>(always)</td><td></td><td>{@code --hostname 0.0.0.0 --port 80}</td></tr>
 * <tr><td>{@code args}</td><td></td><td>more launcher flags, passed after the others as written</td></tr>
 * <tr><td>{@code hf_token} (secret)</td><td>{@code -Dcleanroom.hf_token}, else env {@code HF_TOKEN}</td><td>env {@code HF_TOKEN}</td></tr>
 * <tr><td>{@code shm_size}</td><td>{@code 1g}</td><td>{@code docker run --shm-size}</td></tr>
 * <tr><td>{@code cache_dir}</td><td>{@code ~/.cache/cleanroom/tgi}</td><td>{@code -v DIR:/data}</td></tr>
 * <tr><td>{@code gpu}, {@code gpu_enabled}, {@code gpus}, {@code gpu_devices}</td><td>{@code "auto"}, 1 GPU</td>
 *     <td>{@code docker run --gpus} (see {@link dev.cleanroom.plugins.modelserver})</td></tr>
 * <tr><td>{@code start_timeout}</td><td>{@code 20m}</td><td>until {@code GET /health} answers</td></tr>
 * <tr><td>{@code env.NAME}</td><td></td><td>environment of {@code text-generation-launcher}</td></tr>
 * </table>
 *
 * <p>Ready when {@code GET /health} answers (TGI answers only after warmup); {@code GET /info} then names the model.
 * Without GPUs ({@code gpu = "auto"} on a daemon that has none, or {@code "off"}) no {@code --num-shard} is passed.
 *
 * <p>Exported to tests: {@code cleanroom.<service>.url} and {@code cleanroom.<service>.model}.
 *
 * <p>Pinned tag {@code 3.3.5}: the release Hugging Face's own quantization guide runs; TGI is in maintenance, so
 * the 3.3 line is what users run.
 */
package dev.cleanroom.plugins.tgi;
