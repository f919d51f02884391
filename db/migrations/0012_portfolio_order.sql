-- The portfolio report pages a brand's projects in order of creation (created_at, id) within a period: this index
-- serves the page and the period's totals without a sort of every project of the brand.
CREATE INDEX projects_brand_created ON projects (brand_id, created_at, id);
