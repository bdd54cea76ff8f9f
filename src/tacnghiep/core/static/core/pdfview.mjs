// Renders a PDF into the page with pdf.js (from npm, served from our own static files).
// Pages are drawn as they scroll into view, so a long scan does not hold up the first page.
import * as pdfjs from "../vendor/pdfjs/pdf.min.mjs";

const view = document.getElementById("pdf-view");
if (view) {
  pdfjs.GlobalWorkerOptions.workerSrc = view.dataset.worker;
  const status = view.querySelector("[data-status]");
  const width = () => Math.min(view.clientWidth || 900, 1100);
  pdfjs
    .getDocument({ url: view.dataset.source, isEvalSupported: false, enableXfa: false })
    .promise.then(async (pdf) => {
      status.textContent = view.dataset.pages.replace("{n}", pdf.numPages);
      const draw = async (canvas) => {
        const page = await pdf.getPage(Number(canvas.dataset.page));
        const base = page.getViewport({ scale: 1 });
        const viewport = page.getViewport({ scale: (width() / base.width) * (window.devicePixelRatio || 1) });
        canvas.width = viewport.width;
        canvas.height = viewport.height;
        await page.render({ canvasContext: canvas.getContext("2d"), viewport }).promise;
      };
      const observer = new IntersectionObserver((entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting && !entry.target.dataset.drawn) {
            entry.target.dataset.drawn = "1";
            draw(entry.target);
          }
        }
      }, { rootMargin: "600px" });
      for (let n = 1; n <= pdf.numPages; n += 1) {
        const canvas = document.createElement("canvas");
        canvas.dataset.page = String(n);
        canvas.setAttribute("role", "img");
        canvas.setAttribute("aria-label", view.dataset.pageLabel.replace("{n}", n));
        canvas.className = "pdf-page";
        view.appendChild(canvas);
        observer.observe(canvas);
      }
    })
    .catch(() => {
      status.textContent = view.dataset.failed;
    });
}
