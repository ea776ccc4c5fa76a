// Bazaar's AR page: reports the model's load (the browser test reads it) and the size
// model-viewer measured, next to the size the asset record states.
const viewer = document.querySelector("model-viewer");
const status = document.getElementById("status");
const measured = document.getElementById("measured");
const cm = (metres) => String(Number((metres * 100).toFixed(1)));  // 20, 12.5

viewer.addEventListener("load", () => {
  const size = viewer.getDimensions();
  measured.textContent = `${cm(size.x)} × ${cm(size.y)} × ${cm(size.z)} cm (as shown)`;
  status.textContent = "Model loaded";
  document.body.dataset.model = "loaded";
});
viewer.addEventListener("error", () => {
  status.textContent = "The model could not be loaded";
  document.body.dataset.model = "error";
});
