import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

/** OpenAPI generated from the route schemas, served at /docs. */
export default fp(async (app) => {
  await app.register(swagger, {
    openapi: {
      info: { title: 'hotich-flow API', description: 'API chuyển dữ liệu hộ tịch số hoá vào CSDL hộ tịch điện tử', version: '0.1.0' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearerAuth: [] }],
      tags: [
        { name: 'system', description: 'Tình trạng hệ thống' },
        { name: 'auth', description: 'Đăng nhập' },
        { name: 'users', description: 'Người dùng' },
        { name: 'runs', description: 'Lượt chạy cấp tỉnh (Bước 1–2)' },
        { name: 'imports', description: 'Nhập dữ liệu và tệp quét (Bước 3)' },
        { name: 'records', description: 'Bản ghi hộ tịch' },
        { name: 'review', description: 'Kiểm tra, phê duyệt theo quyển sổ (Bước 4)' },
        { name: 'transfers', description: 'Chuyển vào CSDL hộ tịch điện tử (Bước 4)' },
        { name: 'files', description: 'Tệp' },
        { name: 'workflows', description: 'Quy trình' },
        { name: 'audit', description: 'Kiểm toán: các quy trình, lịch sử và diễn biến, quá trình của hồ sơ, đối chiếu' },
      ],
    },
  });
  // Swagger UI's scripts and styles are its own files; React sets style attributes.
  const staticCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP });
});
