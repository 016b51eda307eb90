import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Served by the WebApi under /studio; the build goes straight into its git-ignored wwwroot.
export default defineConfig({
  base: '/studio/',
  plugins: [react()],
  build: {
    outDir: '../WebApi/wwwroot/studio',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:5080',
      '/connect': 'http://localhost:5080',
      '/account': 'http://localhost:5080',
      '/privacy': 'http://localhost:5080',
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
    // The suite shares a small machine with the .NET build and tests; typing tests are slow there, not stuck.
    testTimeout: 30_000,
  },
});
